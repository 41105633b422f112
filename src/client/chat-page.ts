import type { ChatMessage } from '@/shared/message-row';
import type { ChatSession } from '@/shared/session-row';
import type { ChatEntry } from './chat-entries';

/** How many of a chat's newest messages open it: as many as the message list first shows, and a little more. */
export const OPENING_PAGE_SIZE = 80;

/** The messages.list input of a chat's opening page: the server renders it, the client caches it under it. */
export function openingPageInput(sessionId: string) {
  return { sessionId, limit: OPENING_PAGE_SIZE, newest: true };
}

/** What the cache holds for an open chat: its shown path (or the newest part of it) and this tab's unsent messages. */
export interface ChatPage {
  items: ChatEntry[];
  nextCursor: string | null;
}

/** A chat as the server rendered it, to seed the cache with. */
export interface ChatOpening {
  session: ChatSession;
  page: { items: ChatMessage[]; nextCursor: string | null };
  /** When the server read it (epoch ms): a cache holding something newer keeps it. */
  renderedAt: number;
}
