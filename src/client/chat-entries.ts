import { type ChatMessage, type MessageRecord, toChatMessage } from '@/shared/message-row';
import { errorMessage } from './error-message';

/** A message as the chat view shows it: a stored row, or the user's own message not yet confirmed. */
export interface ChatEntry extends ChatMessage {
  clientMessageId?: string;
  /** sending: chat.send is in flight; queued: offline, waiting in the outbox for the network. */
  pending?: 'sending' | 'queued';
}

/** A chat_messages row as postgres_changes delivers it. */
export interface MessageChangeRecord extends MessageRecord {
  client_message_id: string | null;
}

export function entryFromChange(record: MessageChangeRecord): ChatEntry {
  return {
    // A row event says nothing of siblings (branch null); mergeEntries keeps what the last fetch said.
    ...toChatMessage(record, null),
    ...(record.client_message_id ? { clientMessageId: record.client_message_id } : {}),
  };
}

function compareEntries(a: ChatEntry, b: ChatEntry): number {
  // Unconfirmed messages sit at the end, in the order they were typed.
  if (!!a.pending !== !!b.pending) return a.pending ? 1 : -1;
  const byTime = a.createdAt.getTime() - b.createdAt.getTime();
  if (byTime !== 0) return byTime;
  // Same instant (one transaction): the question before its answer.
  if (a.role !== b.role) return a.role === 'user' ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Inserts or replaces entries by id; a stored row replaces the unconfirmed copy with its clientMessageId.
 * An entry that knows nothing of its siblings (a row event) keeps what the list knew.
 */
export function mergeEntries(list: ChatEntry[], incoming: ChatEntry[]): ChatEntry[] {
  const byId = new Map(list.map((entry) => [entry.id, entry]));
  for (const entry of incoming) {
    if (entry.clientMessageId) {
      for (const [id, existing] of byId) {
        if (existing.pending && existing.clientMessageId === entry.clientMessageId) byId.delete(id);
      }
    }
    const known = byId.get(entry.id)?.branch;
    byId.set(entry.id, entry.branch === null && known ? { ...entry, branch: known } : entry);
  }
  return [...byId.values()].sort(compareEntries);
}

/**
 * The list a fresh fetch gives, keeping what the fetch cannot know yet: unconfirmed messages, and messages
 * that arrived live while it ran and continue the fetched path (a fetch that started before a send committed
 * would otherwise drop that send's question and reply, whose later row events then find no place to go).
 * A fetch of the newest page keeps the earlier messages the list already holds on the same path.
 */
export function replaceWithFetched(list: ChatEntry[], fetched: ChatEntry[]): ChatEntry[] {
  const firstParent = fetched[0]?.parentId;
  const anchor = firstParent ? list.findIndex((entry) => entry.id === firstParent) : -1;
  const kept = [...list.slice(0, anchor + 1).filter((entry) => !entry.pending), ...fetched];
  const keptIds = new Set(kept.map((entry) => entry.id));
  for (const entry of list) {
    if (entry.pending || keptIds.has(entry.id)) continue;
    if (entry.parentId !== (kept.at(-1)?.id ?? null)) continue;
    kept.push(entry);
    keptIds.add(entry.id);
  }
  return mergeEntries(
    kept,
    list.filter((entry) => entry.pending),
  );
}

/** What to tell the user about a failed request. */
export function describeFailure(error: unknown): string {
  return errorMessage(error, 'Something went wrong');
}

/** The last message of the shown path the server confirmed: where a new message goes. */
export function lastConfirmed(list: ChatEntry[]): ChatEntry | undefined {
  return list.findLast((entry) => !entry.pending);
}

/**
 * Whether a row belongs in the list the chat shows (the path through the tree the user chose): a message
 * already shown, the stored copy of one being sent, or one that continues the path. Any other row is in a
 * branch that is not shown.
 */
export function isOnShownPath(list: ChatEntry[], entry: ChatEntry): boolean {
  if (list.some((shown) => shown.id === entry.id)) return true;
  if (
    entry.clientMessageId &&
    list.some((shown) => shown.pending && shown.clientMessageId === entry.clientMessageId)
  )
    return true;
  return entry.parentId === (lastConfirmed(list)?.id ?? null);
}

/** The question chat.send (or editAndResend) just stored, shown before its row arrives. */
export function sentQuestion(
  question: { id: string; sessionId: string; parentId: string | null; content: string },
  extra: Pick<ChatEntry, 'branch' | 'clientMessageId'>,
): ChatEntry {
  const now = new Date();
  return {
    ...question,
    ...extra,
    role: 'user',
    model: null,
    status: 'complete',
    streamSeq: 0,
    metadata: {},
    createdAt: now,
    updatedAt: now,
  };
}

/** The empty streaming reply chat.send (or regenerate) just created, until its row arrives. */
export function placeholderReply(
  sessionId: string,
  replyId: string,
  model: string,
  questionId: string,
): ChatEntry {
  const now = new Date();
  return {
    id: replyId,
    sessionId,
    parentId: questionId,
    branch: null,
    role: 'assistant',
    content: '',
    model,
    status: 'streaming',
    streamSeq: 0,
    metadata: {},
    createdAt: now,
    updatedAt: now,
  };
}
