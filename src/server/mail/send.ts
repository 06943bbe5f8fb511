import "server-only";
import type { EmailKind } from "@/generated/prisma/enums";
import type { Db } from "../db";
import { log } from "../log";
import { mailTransport, type MailTransport, type OutgoingEmail } from "../providers/mail-transport";

export type AppEmail = OutgoingEmail & { kind: EmailKind; organizationId?: string | null; userId?: string | null };

/**
 * Every email the app sends: a row first (what, to whom), then the SMTP server, then the outcome
 * on the row. Without SMTP_URL the row stays in the outbox (readable by the admins of its
 * organization, and at /outbox under `npm run dev`). A failed send is recorded, not thrown: the
 * caller's action (an invite made, a reset asked for) stands, and says the email did not go.
 */
export async function sendEmail(db: Db, email: AppEmail, transport: MailTransport | null = mailTransport()) {
  const row = await db.emailMessage.create({
    data: {
      kind: email.kind,
      organizationId: email.organizationId ?? null,
      userId: email.userId ?? null,
      to: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html ?? null,
      status: "outbox",
    },
    select: { id: true },
  });
  if (!transport) {
    log.info({ emailId: row.id, kind: email.kind }, "no SMTP server configured: email kept in the outbox");
    return { id: row.id, status: "outbox" as const };
  }
  try {
    const { messageId } = await transport.send(email);
    await db.emailMessage.update({ where: { id: row.id }, data: { status: "sent", providerMessageId: messageId, sentAt: new Date() } });
    return { id: row.id, status: "sent" as const };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    log.warn({ err: error, emailId: row.id, kind: email.kind }, "email not sent");
    await db.emailMessage.update({ where: { id: row.id }, data: { status: "failed", error: reason.slice(0, 500) } });
    return { id: row.id, status: "failed" as const };
  }
}

const outboxSelect = { id: true, kind: true, to: true, subject: true, text: true, status: true, error: true, createdAt: true, sentAt: true } as const;

/**
 * An organization's emails, newest first: its invites. Password resets are the person's own (their
 * link would let an admin take over the account) and are not listed here.
 */
export function listOrganizationEmails(db: Db, organizationId: string, limit: number) {
  return db.emailMessage.findMany({
    where: { organizationId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: outboxSelect,
  });
}

/** Every unsent email, newest first: the development outbox (LEADFLOW_DEV_OUTBOX). */
export function listDevOutbox(db: Db, limit: number) {
  return db.emailMessage.findMany({ where: { status: "outbox" }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: limit, select: outboxSelect });
}
