import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { listenOnLoopback } from './loopback-server';

export interface CaughtMail {
  to: string[];
  subject: string;
  text: string;
}

export interface MailCatcher {
  /** `smtp://…` for the app's SMTP_URL: the app sends real SMTP, as it does in production. */
  smtpUrl: string;
  /** Where a test reads what arrived: GET `<url>/mail?to=<address>` → `{ mails: CaughtMail[] }`. */
  url: string;
  close(): Promise<void>;
}

/**
 * An SMTP server that keeps what it receives, for the browser tests: the app under test is a production
 * build, which has no dev mailbox and sends mail only over SMTP. Plain SMTP on loopback, no auth.
 */
export async function startMailCatcher(): Promise<MailCatcher> {
  const mails: CaughtMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 1_000_000,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          mails.push({
            to: session.envelope.rcptTo.map((recipient) => recipient.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
          });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  const http = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://mail-catcher');
    if (url.pathname !== '/mail') {
      response.writeHead(404).end();
      return;
    }
    const to = url.searchParams.get('to');
    const found = to ? mails.filter((mail) => mail.to.includes(to)) : mails;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ mails: found }));
  });
  const reader = await listenOnLoopback(http);

  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    url: reader.url,
    close: async () => {
      await reader.close();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    },
  };
}

/** From a test: the mails caught for `to`, oldest first. */
export async function caughtMails(catcherUrl: string, to: string): Promise<CaughtMail[]> {
  const response = await fetch(`${catcherUrl}/mail?to=${encodeURIComponent(to)}`);
  return ((await response.json()) as { mails: CaughtMail[] }).mails;
}
