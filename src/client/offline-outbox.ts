/**
 * Messages typed while offline, kept in localStorage (so a reload does not lose them) until the network
 * returns. Each keeps the clientMessageId it was given when typed: chat.send is idempotent on it, so a
 * message sent twice (a retry racing a flaky network) is stored once.
 */
export interface OutboxItem {
  clientMessageId: string;
  /** null: the first message of a new chat. */
  sessionId: string | null;
  content: string;
  model?: string;
  queuedAt: number;
}

const storageKey = 'chattwelve:outbox';

export function readOutbox(): OutboxItem[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(storageKey) ?? '[]');
    return Array.isArray(parsed) ? (parsed as OutboxItem[]) : [];
  } catch {
    return [];
  }
}

function writeOutbox(items: OutboxItem[]): void {
  try {
    if (items.length === 0) localStorage.removeItem(storageKey);
    else localStorage.setItem(storageKey, JSON.stringify(items));
  } catch {
    // No storage (private mode): the queue lives as long as the page.
  }
}

export function addToOutbox(item: OutboxItem): void {
  writeOutbox([...readOutbox().filter((queued) => queued.clientMessageId !== item.clientMessageId), item]);
}

export function removeFromOutbox(clientMessageId: string): void {
  writeOutbox(readOutbox().filter((item) => item.clientMessageId !== clientMessageId));
}
