import "server-only";
import type { SuppressionReason } from "@/generated/prisma/enums";
import type { Db, Prisma } from "../db";
import { engagedKillSwitch } from "../budget/kill-switches";

/**
 * The one send decision: every text (campaign, inbox reply, auto-reply, STOP confirmation, test)
 * asks here first and the answer is recorded as a SendDecision row. Issue 10 adds DNC, quiet hours
 * (the "deferred" outcome), consent and frequency caps; callers rely only on this shape.
 */
export const SEND_KINDS = ["campaign", "inbox_reply", "auto_reply", "help_reply", "opt_out_confirmation", "test"] as const;
export type SendKind = (typeof SEND_KINDS)[number];

export type SendBlockReason =
  | "kill_switch"
  | "suppressed"
  | "phone_invalid"
  | "phone_landline"
  | "phone_wrong_number"
  /** An opt-out confirmation for a number with no fresh keyword opt-out, or one already confirmed. */
  | "no_opt_out_to_confirm";

export type SendDeferReason = "quiet_hours";

export type SendDecision =
  | { outcome: "allowed"; decisionId: string }
  | { outcome: "blocked"; reason: SendBlockReason; message: string; decisionId: string }
  | { outcome: "deferred"; until: Date; reason: SendDeferReason; message: string; decisionId: string };

export type SendDecisionRequest = { orgId: string; phone: string; leadId?: string | null; kind: SendKind; at?: Date };

/**
 * The STOP confirmation rule: a number that opted out by keyword may receive exactly one
 * confirmation, within this window of the opt-out, and nothing else. Refusals in free text and
 * provider 21610 opt-outs get none (the person did not text a keyword, or Twilio already answered).
 */
export const OPT_OUT_CONFIRMATION_WINDOW_MS = 24 * 60 * 60_000;

type Tx = Prisma.TransactionClient;
type Verdict = { outcome: "allowed" } | { outcome: "blocked"; reason: SendBlockReason; message: string };

const blocked = (reason: SendBlockReason, message: string): Verdict => ({ outcome: "blocked", reason, message });

async function smsSwitchVerdict(tx: Tx, orgId: string): Promise<Verdict | null> {
  const refusal = await engagedKillSwitch(tx, orgId, "sms");
  return refusal ? blocked("kill_switch", refusal.message) : null;
}

async function phoneVerdict(tx: Tx, request: SendDecisionRequest): Promise<Verdict | null> {
  const rows = await tx.leadPhone.findMany({
    where: { organizationId: request.orgId, number: request.phone },
    select: { leadId: true, status: true, type: true },
  });
  if (rows.some((r) => r.status === "invalid")) return blocked("phone_invalid", "This number is not a valid phone number; it was marked invalid.");
  if (rows.some((r) => r.type === "landline")) return blocked("phone_landline", "This number is a landline and cannot receive texts.");
  if (request.leadId && rows.some((r) => r.leadId === request.leadId && r.status === "wrong_number")) {
    return blocked("phone_wrong_number", "This number was reported as a wrong number for this lead.");
  }
  return null;
}

const SUPPRESSION_REASON_TEXT: Record<SuppressionReason, string> = {
  keyword: "they texted STOP",
  refusal: "they asked not to be texted",
  provider_21610: "the carrier reports they unsubscribed (Twilio 21610)",
  manual: "your team added it to the opt-out list",
  import: "it was imported into the opt-out list",
  wrong_number: "it was reported as a wrong number",
};

async function suppressionVerdict(tx: Tx, request: SendDecisionRequest, at: Date): Promise<Verdict | null> {
  const live = await tx.suppression.findMany({
    where: { organizationId: request.orgId, phone: request.phone, liftedAt: null, OR: [{ leadId: null }, ...(request.leadId ? [{ leadId: request.leadId }] : [])] },
    select: { reason: true, leadId: true, createdAt: true },
    orderBy: { createdAt: "desc" },
  });
  if (request.kind === "opt_out_confirmation") {
    const keywordOptOut = live.find((s) => s.leadId === null && s.reason === "keyword");
    if (!keywordOptOut || at.getTime() - keywordOptOut.createdAt.getTime() > OPT_OUT_CONFIRMATION_WINDOW_MS) {
      return blocked("no_opt_out_to_confirm", "There is no recent STOP from this number to confirm.");
    }
    const earlier = await tx.sendDecision.count({
      where: { organizationId: request.orgId, phone: request.phone, kind: "opt_out_confirmation", outcome: "allowed", decidedAt: { gte: keywordOptOut.createdAt } },
    });
    if (earlier > 0) return blocked("no_opt_out_to_confirm", "This opt-out was already confirmed; nothing more is sent.");
    return null;
  }
  // HELP is answered whatever the number's subscription state (CTIA): the answer is contact
  // details and opt-out instructions, never marketing. The kill switch and phone checks still apply.
  if (request.kind === "help_reply") return null;
  const suppression = live[0];
  if (suppression) {
    const scope = suppression.leadId ? "for this lead" : "for your organization";
    const day = suppression.createdAt.toISOString().slice(0, 10);
    return blocked("suppressed", `This number opted out ${scope}: ${SUPPRESSION_REASON_TEXT[suppression.reason]} (${day}). It cannot be texted.`);
  }
  return null;
}

/**
 * Decides and records. Decisions for one (organization, phone) are serialized so that "exactly one
 * STOP confirmation" holds under concurrent callers.
 */
export async function decideSend(db: Db, request: SendDecisionRequest): Promise<SendDecision> {
  const at = request.at ?? new Date();
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`send-decision:${request.orgId}:${request.phone}`}, 0))`;
    const verdict =
      (await smsSwitchVerdict(tx, request.orgId)) ??
      (await phoneVerdict(tx, request)) ??
      (await suppressionVerdict(tx, request, at)) ??
      ({ outcome: "allowed" } as const);
    const row = await tx.sendDecision.create({
      data: {
        organizationId: request.orgId,
        phone: request.phone,
        leadId: request.leadId ?? null,
        kind: request.kind,
        outcome: verdict.outcome,
        reason: verdict.outcome === "blocked" ? verdict.reason : null,
        message: verdict.outcome === "blocked" ? verdict.message : null,
        decidedAt: at,
      },
      select: { id: true },
    });
    return { ...verdict, decisionId: row.id };
  });
}

/** Links an allowed decision to the message it let through. */
export async function attachDecisionMessage(db: Db, decisionId: string, messageId: string): Promise<void> {
  await db.sendDecision.update({ where: { id: decisionId }, data: { messageId } });
}
