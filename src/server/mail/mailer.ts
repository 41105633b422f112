import 'server-only';
import { env } from '@/env';
import { devMailbox } from './dev-mailbox';
import { createSmtpMailer } from './smtp-mailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

/** Sends mail; BetterAuth's reset (and any later) mails go through this one interface. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}

/** Refuses to pretend: in production without SMTP_URL a mail cannot go anywhere, and says so. */
const unconfiguredMailer: Mailer = {
  async send() {
    throw new Error('Cannot send mail: set SMTP_URL (and MAIL_FROM) to an SMTP server');
  },
};

const globalForMailer = globalThis as unknown as { chattwelveMailer?: Mailer };

/** SMTP when SMTP_URL is set; otherwise the dev mailbox outside production. */
export function mailer(): Mailer {
  globalForMailer.chattwelveMailer ??= env().SMTP_URL
    ? createSmtpMailer(env().SMTP_URL ?? '', env().MAIL_FROM)
    : env().NODE_ENV === 'production'
      ? unconfiguredMailer
      : devMailbox;
  return globalForMailer.chattwelveMailer;
}
