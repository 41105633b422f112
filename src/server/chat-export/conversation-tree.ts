import 'server-only';

interface TreeMessage {
  id: string;
  parentId: string | null;
}

export interface ExportSections<Message extends TreeMessage> {
  /** The path the chat shows, oldest first. */
  shown: Message[];
  /** Every other version, one branch at a time: its first message, then what followed it (depth first). */
  branches: Message[][];
}

/**
 * Splits a chat's messages (in the order they were written) into the path ending at `leafId` (else at the
 * newest message) and the branches beside it, so a reader of the export meets the conversation as it was
 * shown, then the versions left behind.
 */
export function splitConversationTree<Message extends TreeMessage>(
  messages: Message[],
  leafId: string | null,
): ExportSections<Message> {
  const byId = new Map(messages.map((message) => [message.id, message]));
  const children = new Map<string | null, Message[]>();
  for (const message of messages) {
    const parent = message.parentId !== null && byId.has(message.parentId) ? message.parentId : null;
    const list = children.get(parent);
    if (list) list.push(message);
    else children.set(parent, [message]);
  }
  const shown: Message[] = [];
  for (let at = byId.get(leafId ?? '') ?? messages.at(-1); at; at = byId.get(at.parentId ?? '')) {
    shown.push(at);
    if (shown.length > messages.length) break; // a cycle cannot be stored, but never loop on one
  }
  shown.reverse();
  const onPath = new Set(shown.map((message) => message.id));
  const subtree = (root: Message): Message[] => {
    const out: Message[] = [];
    const stack = [root];
    for (let next = stack.pop(); next; next = stack.pop()) {
      out.push(next);
      stack.push(...(children.get(next.id) ?? []).toReversed());
    }
    return out;
  };
  const branches: Message[][] = [];
  for (const parent of [null, ...shown.map((message) => message.id)]) {
    for (const child of children.get(parent) ?? []) {
      if (!onPath.has(child.id)) branches.push(subtree(child));
    }
  }
  return { shown, branches };
}
