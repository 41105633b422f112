import { describe, expect, it } from 'vitest';
import { toChatMessage } from '@/shared/message-row';
import { isSessionRecord, toChatSession } from '@/shared/session-row';

describe('session row mapping', () => {
  const record = {
    id: '7d0f4b8e-9a51-4c4e-8d1b-5c2f0a6b3e11',
    title: 'Trip plans',
    model: 'demo',
    current_leaf_id: '0b7c1a52-5e6f-4a3b-9c8d-1e2f3a4b5c6d',
  };

  it('maps a row read by the server (Date) and one received from Realtime (text) to the same session', () => {
    const fromServer = toChatSession({
      ...record,
      created_at: new Date('2026-12-01T10:00:00.123Z'),
      updated_at: new Date('2026-12-02T10:00:00Z'),
      last_message_at: new Date('2026-12-03T10:00:00Z'),
      pinned_at: null,
    });
    const fromRealtime = toChatSession({
      ...record,
      created_at: '2026-12-01T10:00:00.123+00:00',
      updated_at: '2026-12-02T10:00:00+00:00',
      last_message_at: '2026-12-03T10:00:00+00:00',
      pinned_at: null,
    });
    expect(fromRealtime).toEqual(fromServer);
    expect(fromServer).toEqual({
      id: record.id,
      title: 'Trip plans',
      createdAt: new Date('2026-12-01T10:00:00.123Z'),
      updatedAt: new Date('2026-12-02T10:00:00Z'),
      lastMessageAt: new Date('2026-12-03T10:00:00Z'),
      pinnedAt: null,
      model: 'demo',
      currentLeafId: record.current_leaf_id,
    });
  });

  it('accepts a received record only when it has what a session is shown from', () => {
    const received = {
      ...record,
      created_at: '2026-12-01T10:00:00+00:00',
      updated_at: '2026-12-01T10:00:00+00:00',
      last_message_at: '2026-12-01T10:00:00+00:00',
      pinned_at: null,
    };
    expect(isSessionRecord(received)).toBe(true);
    expect(isSessionRecord({ ...received, title: 42 })).toBe(false);
    expect(isSessionRecord({ ...received, last_message_at: 'yesterday' })).toBe(false);
    expect(isSessionRecord(null)).toBe(false);
  });
});

describe('message row mapping', () => {
  const base = {
    id: 'b1',
    session_id: 's1',
    parent_id: 'q1',
    role: 'assistant' as const,
    content: 'Hello',
    model: 'demo',
    status: 'complete' as const,
    stream_seq: 3,
    metadata: null,
  };

  it('maps a row read by the server and one received from Realtime to the same message', () => {
    const fromServer = toChatMessage(
      { ...base, created_at: new Date('2026-12-01T10:00:00Z'), updated_at: new Date('2026-12-01T10:00:05Z') },
      null,
    );
    const fromRealtime = toChatMessage(
      { ...base, created_at: '2026-12-01T10:00:00+00:00', updated_at: '2026-12-01T10:00:05+00:00' },
      null,
    );
    expect(fromRealtime).toEqual(fromServer);
    expect(fromServer).toMatchObject({
      id: 'b1',
      sessionId: 's1',
      parentId: 'q1',
      streamSeq: 3,
      metadata: {},
      branch: null,
    });
  });

  it('places a message among its versions when the reader knows them', () => {
    const at = '2026-12-01T10:00:00+00:00';
    const row = { ...base, created_at: at, updated_at: at };
    expect(toChatMessage(row, ['b0', 'b1', 'b2']).branch).toEqual({
      index: 2,
      count: 3,
      siblingIds: ['b0', 'b1', 'b2'],
    });
    expect(toChatMessage(row, ['b1']).branch).toBeNull();
  });
});
