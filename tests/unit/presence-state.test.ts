import { describe, expect, it } from 'vitest';
import {
  chatIdOfPath,
  deviceLabel,
  deviceNoun,
  devicePresenceMeta,
  onlineDevices,
} from '@/client/use-presence-state';

describe('presence state', () => {
  it('names a device by browser and system, a phone as "your phone"', () => {
    expect(deviceLabel('Chrome 140', 'Linux')).toBe('Chrome on Linux');
    expect(deviceLabel('curl', null)).toBe('curl');
    expect(deviceNoun(deviceLabel('Safari 17', 'iOS'))).toBe('your phone');
    expect(deviceNoun(deviceLabel('Chrome 140', 'Android'))).toBe('your phone');
    expect(deviceNoun('Firefox on Windows')).toBe('Firefox on Windows');
  });

  it('reads the chat id of a chat URL only', () => {
    expect(chatIdOfPath('/c/3f0e2c1a-0000-4000-8000-000000000000')).toBe(
      '3f0e2c1a-0000-4000-8000-000000000000',
    );
    expect(chatIdOfPath('/settings/security')).toBeNull();
    expect(chatIdOfPath(null)).toBeNull();
  });

  it('bounds what it tracks', () => {
    const meta = devicePresenceMeta('x'.repeat(500), 'y'.repeat(500));
    expect(meta.device).toHaveLength(60);
    expect(meta.chat).toBeNull();
  });

  it("groups a device's tabs and believes no more of another tab's meta than it would track", () => {
    const devices = onlineDevices({
      laptop: [
        { presence_ref: 'a', device: 'Firefox on Linux', chat: 'chat-1' },
        { presence_ref: 'b', device: 'Firefox on Linux', chat: null },
        { presence_ref: 'c', device: 'Firefox on Linux', chat: 'chat-2' },
      ],
      odd: [{ presence_ref: 'd', device: 'z'.repeat(10_000), chat: { nested: true } }, 'not a meta'],
    });
    expect(devices).toEqual([
      { id: 'laptop', device: 'Firefox on Linux', chats: ['chat-1', 'chat-2'] },
      { id: 'odd', device: 'z'.repeat(60), chats: [] },
    ]);
  });
});
