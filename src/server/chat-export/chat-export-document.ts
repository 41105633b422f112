import 'server-only';
import { splitConversationTree } from './conversation-tree';

export interface ExportedMessage {
  id: string;
  /** The message this one follows (conversations are trees: edits and regenerations are siblings). */
  parentId: string | null;
  role: string;
  content: string;
  model: string | null;
  status: string;
  createdAt: Date;
}

export interface ExportedSession {
  id: string;
  title: string;
  model: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** The last message of the path the chat shows (null: the newest message). */
  currentLeafId: string | null;
  /** Every message of the tree, oldest first. */
  messages: ExportedMessage[];
}

export interface ExportOwner {
  id: string;
  email: string;
  name: string;
}

/**
 * Builds the two files piece by piece, one session at a time, so a large export never holds the row objects
 * and the finished text at once.
 */
export class ChatExportDocument {
  private readonly jsonParts: string[] = [];
  private readonly markdownParts: string[] = [];
  private sessions = 0;

  constructor(owner: ExportOwner, exportedAt: Date) {
    this.jsonParts.push(
      `{"format":"chattwelve-export","version":1,"exportedAt":${JSON.stringify(exportedAt.toISOString())},` +
        `"user":${JSON.stringify(owner)},"sessions":[`,
    );
    this.markdownParts.push(
      `# ChatTwelve export\n\nExported ${exportedAt.toISOString()} for ${owner.name} <${owner.email}>.\n`,
    );
  }

  add(session: ExportedSession): void {
    this.jsonParts.push(`${this.sessions > 0 ? ',' : ''}${JSON.stringify(session)}`);
    this.sessions += 1;
    const lines = [`\n## ${oneLine(session.title)}\n`, `_Started ${session.createdAt.toISOString()}_\n`];
    const { shown, branches } = splitConversationTree(session.messages, session.currentLeafId);
    const position = new Map(session.messages.map((message) => [message.id, message]));
    const shownIndex = new Map(shown.map((message, index) => [message.id, index + 1]));
    for (const message of shown) lines.push(markdownMessage(message, '###'));
    branches.forEach((branch, index) => {
      const parent = branch[0]?.parentId ? position.get(branch[0].parentId) : undefined;
      const where = parent ? `after message ${shownIndex.get(parent.id) ?? '?'}` : 'from the start';
      lines.push(`\n### Other branch ${index + 1} (${where})\n`);
      for (const message of branch) lines.push(markdownMessage(message, '####'));
    });
    this.markdownParts.push(lines.join(''));
  }

  finish(): { json: string; markdown: string } {
    return { json: `${this.jsonParts.join('')}]}`, markdown: this.markdownParts.join('') };
  }
}

function markdownMessage(message: ExportedMessage, heading: string): string {
  const who = message.role === 'user' ? 'You' : message.role === 'assistant' ? 'Assistant' : 'System';
  const model = message.role === 'assistant' && message.model ? ` (${message.model})` : '';
  const status = message.status === 'complete' ? '' : ` — ${message.status}`;
  return `\n${heading} ${who}${model}, ${message.createdAt.toISOString()}${status}\n\n${message.content}\n`;
}

/** A title is one heading line whatever the user typed into it. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim() || 'Untitled chat';
}
