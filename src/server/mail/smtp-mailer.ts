import 'server-only';
import nodemailer from 'nodemailer';
import type { Mailer } from './mailer';

/** Mail over SMTP: `smtp://user:pass@host:587` (STARTTLS) or `smtps://…:465`. */
export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(mail) {
      await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
    },
  };
}
