// Password-reset links by e-mail, when the operator configured a mail server (--smtp-url): nodemailer
// speaks SMTP; this file only says what the mail contains, in the person's language. Without a mail
// server there is no mailer, and reset links come from the operator (CLI or /operator/people).

import { createRequire } from 'node:module';
import type { ServerConfig } from './config.ts';
import type { Translate } from './i18n/index.ts';

export interface ResetMail {
  to: string;
  username: string;
  link: string;
  /** Minutes the link works. */
  minutes: number;
  t: Translate;
}

export interface ResetMailer {
  send(mail: ResetMail): Promise<void>;
  close(): void;
}

/** The mailer of the configuration, or null when no mail server is configured. */
export function createResetMailer(config: ServerConfig): ResetMailer | null {
  if (!config.smtpUrl) return null;
  // Loaded only when a mail server is configured: nodemailer is a good part of an idle server's memory.
  const nodemailer = createRequire(import.meta.url)('nodemailer') as typeof import('nodemailer');
  const transport = nodemailer.createTransport(config.smtpUrl);
  const host = config.publicUrl?.hostname ?? 'localhost';
  const from = config.mailFrom ?? `Tripod <tripod@${host}>`;
  return {
    async send({ to, username, link, minutes, t }) {
      await transport.sendMail({
        from,
        to,
        subject: t('resetMail.subject'),
        text: `${t('resetMail.body', { user: username, minutes })}\n\n${link}\n\n${t('resetMail.ignore')}\n`,
      });
    },
    close() {
      transport.close();
    },
  };
}
