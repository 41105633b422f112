/** The element id of a message in the open chat, so a search hit can link to it (`/c/<chat>#message-<id>`). */
export function messageAnchorId(messageId: string): string {
  return `message-${messageId}`;
}

/** The message a URL fragment (`#message-<id>`) points at, or null. */
export function messageIdFromHash(hash: string): string | null {
  const prefix = `#${messageAnchorId('')}`;
  return hash.startsWith(prefix) && hash.length > prefix.length ? hash.slice(prefix.length) : null;
}

/**
 * Asks the open chat to render a message it keeps out of its window (a search hit far back), as a window
 * event whose detail is the message id: a link within the same chat changes no route, so nothing remounts.
 */
export const REVEAL_MESSAGE_EVENT = 'chattwelve:reveal-message';
