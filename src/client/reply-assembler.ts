/**
 * Reply assembler: turns what a tab receives about streaming replies into the text to show, so that every
 * tab — the one that sent, a second one, one reloaded mid-reply, one whose socket dropped — shows exactly the
 * reply the model wrote. Pure: no I/O, no timers; the caller wires it to Realtime and to its fetches.
 *
 * How to use it (ARCHITECTURE.md §4):
 *   1. Subscribe FIRST: broadcast event REPLY_DELTA_EVENT on the private topic `replyTopic(sessionId)` →
 *      `applyDelta(decodeReplyDelta(payload))` (src/shared/reply-stream.ts and realtime-topics.ts hold the contract),
 *      and postgres_changes on chat_messages (`session_id=eq.<id>`) INSERT/UPDATE → `applyRow(newRow)`.
 *      Deltas that arrive before their row are buffered.
 *   2. Then fetch the messages (messages.list) and pass every assistant row to `applyRow` (the snapshot:
 *      `content` as of `stream_seq`). chat.send's answer can be applied as an empty snapshot:
 *      `applyRow({ id: replyId, content: '', stream_seq: 0, status: 'streaming' })`.
 *   3. Deltas with `seq > stream_seq` extend the text in order; older ones are ignored.
 *   4. A missing seq calls `onGap(messageId)`: refetch that row and `applyRow` it. If the row is still behind,
 *      keep waiting — the next checkpoint UPDATE (about once a second) arrives through postgres_changes.
 *   5. A row whose status is no longer `streaming` settles the reply: its content is final, later deltas
 *      are ignored.
 *
 *   const assembler = new ReplyAssembler({ onChange: (reply) => render(reply), onGap: (id) => refetch(id) });
 *   assembler.text(replyId) // what to show now
 *
 * Rows are accepted in the database's shape (snake_case, as postgres_changes sends them) or camelCase (as
 * messages.list returns them).
 */

import type { ReplyDelta, ReplyStatus } from '@/shared/reply-stream';

export type { ReplyStatus } from '@/shared/reply-stream';

/** A delta as decodeReplyDelta returns it from a broadcast payload. */
export type ReplyDeltaEvent = ReplyDelta;

/** A chat_messages row, or the part of it the assembler reads. */
export type ReplyRowSnapshot =
  | { id: string; content: string; stream_seq: number; status: ReplyStatus | string }
  | { id: string; content: string; streamSeq: number; status: ReplyStatus | string };

export interface AssembledReply {
  messageId: string;
  text: string;
  /** The last seq included in `text` (0 before any). */
  seq: number;
  status: ReplyStatus;
  /** true once a final row arrived: `text` is the stored reply. */
  settled: boolean;
}

export interface ReplyAssemblerOptions {
  /** Called whenever a reply's text or status changed. */
  onChange?: (reply: AssembledReply) => void;
  /** Called once per missing seq: refetch the row and pass it to `applyRow`. */
  onGap?: (messageId: string, missingSeq: number) => void;
}

interface ReplyState {
  /** undefined until the first snapshot: deltas can only be placed on top of one. */
  text: string | undefined;
  seq: number;
  status: ReplyStatus;
  settled: boolean;
  buffered: Map<number, string>;
  reportedGap: number;
}

function seqOf(row: ReplyRowSnapshot): number {
  return 'stream_seq' in row ? row.stream_seq : row.streamSeq;
}

export class ReplyAssembler {
  private readonly replies = new Map<string, ReplyState>();

  constructor(private readonly options: ReplyAssemblerOptions = {}) {}

  /** A delta from the `chat:<sessionId>` broadcast. */
  applyDelta(delta: ReplyDeltaEvent): void {
    const state = this.stateOf(delta.messageId);
    if (state.settled || delta.seq <= state.seq) return;
    state.buffered.set(delta.seq, delta.text);
    if (state.text !== undefined) this.drain(delta.messageId, state, true);
  }

  /** A row snapshot: from a fetch, from chat.send's answer, or from a postgres_changes INSERT/UPDATE. */
  applyRow(row: ReplyRowSnapshot): void {
    const state = this.stateOf(row.id);
    if (state.settled) return;
    const rowSeq = seqOf(row);
    const status = row.status as ReplyStatus;
    if (status !== 'streaming') {
      state.text = row.content;
      state.seq = rowSeq;
      state.status = status;
      state.settled = true;
      state.buffered.clear();
      this.changed(row.id);
      return;
    }
    // A snapshot older than what deltas already built is stale; content is always a prefix of the reply.
    if (state.text !== undefined && rowSeq <= state.seq) return;
    state.text = row.content;
    state.seq = rowSeq;
    for (const seq of state.buffered.keys()) if (seq <= rowSeq) state.buffered.delete(seq);
    this.drain(row.id, state, false);
    this.changed(row.id);
  }

  /** The reply as it stands, or undefined before its first snapshot. */
  get(messageId: string): AssembledReply | undefined {
    const state = this.replies.get(messageId);
    if (state?.text === undefined) return undefined;
    return { messageId, text: state.text, seq: state.seq, status: state.status, settled: state.settled };
  }

  /** Shorthand for `get(id)?.text ?? ''`. */
  text(messageId: string): string {
    return this.get(messageId)?.text ?? '';
  }

  /** Forget a reply (its row was deleted, e.g. by regenerate or editAndResend). */
  forget(messageId: string): void {
    this.replies.delete(messageId);
  }

  private stateOf(messageId: string): ReplyState {
    let state = this.replies.get(messageId);
    if (!state) {
      state = {
        text: undefined,
        seq: 0,
        status: 'streaming',
        settled: false,
        buffered: new Map(),
        reportedGap: 0,
      };
      this.replies.set(messageId, state);
    }
    return state;
  }

  /** Applies buffered deltas that continue the text; reports a gap if some wait behind a missing seq. */
  private drain(messageId: string, state: ReplyState, notify: boolean): void {
    let advanced = false;
    for (
      let next = state.buffered.get(state.seq + 1);
      next !== undefined;
      next = state.buffered.get(state.seq + 1)
    ) {
      state.buffered.delete(state.seq + 1);
      state.text = (state.text ?? '') + next;
      state.seq += 1;
      advanced = true;
    }
    if (advanced && notify) this.changed(messageId);
    const missing = state.seq + 1;
    if (state.buffered.size > 0 && state.reportedGap < missing) {
      state.reportedGap = missing;
      this.options.onGap?.(messageId, missing);
    }
  }

  private changed(messageId: string): void {
    const reply = this.get(messageId);
    if (reply) this.options.onChange?.(reply);
  }
}
