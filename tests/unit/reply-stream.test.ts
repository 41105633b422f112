import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { replyTopic } from '@/shared/realtime-topics';
import { compactId, decodeReplyDelta, encodeReplyDelta, expandId } from '@/shared/reply-stream';

describe('reply delta wire contract', () => {
  it('round-trips any reply id through its 22-character form', () => {
    for (let index = 0; index < 500; index++) {
      const id = randomUUID();
      const compact = compactId(id);
      expect(compact).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(expandId(compact)).toBe(id);
    }
    for (const id of ['00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff']) {
      expect(expandId(compactId(id))).toBe(id);
    }
  });

  it('decodes what it encodes, text byte for byte', () => {
    const delta = { messageId: randomUUID(), seq: 7, text: 'emoji 🚀, "quotes", \\ and\nnewlines' };
    const payload = JSON.parse(JSON.stringify(encodeReplyDelta(delta)));
    expect(decodeReplyDelta(payload)).toEqual(delta);
  });

  it('keeps the payload small: short keys and nothing else', () => {
    const payload = encodeReplyDelta({ messageId: randomUUID(), seq: 12, text: 'hi' });
    expect(Object.keys(payload).sort()).toEqual(['i', 's', 't']);
    expect(JSON.stringify(payload).length).toBeLessThanOrEqual(50);
  });

  it('ignores payloads that are not deltas', () => {
    for (const payload of [
      null,
      'x',
      {},
      { i: 'a', s: 0, t: 'x' },
      { i: 'a', s: 1.5, t: 'x' },
      { i: 1, s: 1, t: 'x' },
    ]) {
      expect(decodeReplyDelta(payload)).toBeNull();
    }
  });

  it('names the private topic of a session', () => {
    expect(replyTopic('abc')).toBe('chat:abc');
  });
});
