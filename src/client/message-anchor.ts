/** The element id of a message in the open chat, so a search hit can link to it (`/c/<chat>#message-<id>`). */
export function messageAnchorId(messageId: string): string {
  return `message-${messageId}`;
}
