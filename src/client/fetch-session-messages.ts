import type { ChatMessage } from './api-types';
import { trpc } from './trpc-client';

/** Every message of the path a session shows, oldest first, page after keyset page (Show earlier). */
export async function fetchSessionMessages(sessionId: string): Promise<ChatMessage[]> {
  const all: ChatMessage[] = [];
  let cursor: string | undefined;
  do {
    const page = await trpc.messages.list.query({ sessionId, limit: 200, cursor });
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}
