/**
 * Bytes of presence metas one connection keeps tracked across its channels. Metas live as long as the
 * channel and go to every member that joins the room, so their total per socket is bounded like its queue.
 */
export class PresenceBudget {
  private readonly byChannel = new Map<number, number>();
  private total = 0;

  constructor(private readonly maxBytes: number) {}

  /** Sets `channelId`'s meta size; false (and nothing changed) when the connection would exceed its budget. */
  reserve(channelId: number, bytes: number): boolean {
    const previous = this.byChannel.get(channelId) ?? 0;
    if (this.total - previous + bytes > this.maxBytes) return false;
    this.total += bytes - previous;
    this.byChannel.set(channelId, bytes);
    return true;
  }

  release(channelId: number): void {
    this.total -= this.byChannel.get(channelId) ?? 0;
    this.byChannel.delete(channelId);
  }
}
