import "server-only";
import nodemailer from "nodemailer";
import { env } from "../env";

export type OutgoingEmail = { to: string; subject: string; text: string; html?: string };

/** What the app sends email through: SMTP (nodemailer) when SMTP_URL is set, else nothing (the outbox). */
export interface MailTransport {
  readonly name: "smtp";
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}

/** An SMTP answer taking longer than this fails the send (the email stays readable in the log). */
const SMTP_TIMEOUT_MS = 10_000;

let cached: { url: string; transport: MailTransport } | null = null;

export function createSmtpTransport(url: string, from: string): MailTransport {
  const transporter = nodemailer.createTransport(url, {
    from,
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: SMTP_TIMEOUT_MS,
  });
  return {
    name: "smtp",
    async send(email) {
      const info = await transporter.sendMail({ from, to: email.to, subject: email.subject, text: email.text, html: email.html });
      return { messageId: info.messageId };
    },
  };
}

/** The configured transport, or null when no SMTP server is configured. */
export function mailTransport(): MailTransport | null {
  if (!env.SMTP_URL) return null;
  if (cached?.url !== env.SMTP_URL) cached = { url: env.SMTP_URL, transport: createSmtpTransport(env.SMTP_URL, env.MAIL_FROM) };
  return cached.transport;
}
