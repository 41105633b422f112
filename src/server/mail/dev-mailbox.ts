import 'server-only';
import { randomUUID } from 'node:crypto';
import type { Mailer, OutgoingMail } from './mailer';

export interface DeliveredMail extends OutgoingMail {
  id: string;
  sentAt: Date;
}

/** Newest mails kept; older ones fall off. */
const CAPACITY = 200;

const globalForMailbox = globalThis as unknown as { chattwelveDevMailbox?: DeliveredMail[] };

function mails(): DeliveredMail[] {
  globalForMailbox.chattwelveDevMailbox ??= [];
  return globalForMailbox.chattwelveDevMailbox;
}

/**
 * Development's mailer: keeps sent mails in this process's memory for /api/dev/mailbox to show (and tests
 * to read). Never used in production.
 */
export const devMailbox: Mailer & { list(to?: string): DeliveredMail[] } = {
  async send(mail) {
    const box = mails();
    box.push({ ...mail, id: randomUUID(), sentAt: new Date() });
    if (box.length > CAPACITY) box.splice(0, box.length - CAPACITY);
  },

  /** Newest first, optionally only those to one address. */
  list(to) {
    return mails()
      .filter((mail) => to === undefined || mail.to.toLowerCase() === to.toLowerCase())
      .reverse();
  },
};
