import 'server-only';

export interface ExportedMessage {
  id: string;
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
    for (const message of session.messages) {
      const who = message.role === 'user' ? 'You' : message.role === 'assistant' ? 'Assistant' : 'System';
      const model = message.role === 'assistant' && message.model ? ` (${message.model})` : '';
      const status = message.status === 'complete' ? '' : ` — ${message.status}`;
      lines.push(`\n### ${who}${model}, ${message.createdAt.toISOString()}${status}\n\n${message.content}\n`);
    }
    this.markdownParts.push(lines.join(''));
  }

  finish(): { json: string; markdown: string } {
    return { json: `${this.jsonParts.join('')}]}`, markdown: this.markdownParts.join('') };
  }
}

/** A title is one heading line whatever the user typed into it. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim() || 'Untitled chat';
}
