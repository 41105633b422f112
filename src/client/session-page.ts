import type { ChatSession } from './api-types';

/** How many chats a sidebar page holds; the server renders the first page with the layout. */
export const SESSION_PAGE_SIZE = 30;

export interface SessionPage {
  items: ChatSession[];
  nextCursor: string | null;
}
