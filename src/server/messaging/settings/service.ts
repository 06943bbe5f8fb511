import "server-only";
import type { z } from "zod";
import {
  autoReplyFor,
  classifyInboundSms,
  DEFAULT_SMS_REPLY_RULES,
  DEFAULT_SMS_REPLY_TEXTS,
  smsReplyRuleSetSchema,
  smsReplyTextsSchema,
  type SmsReplyRuleSet,
} from "@/lib/sms-replies";
import { countSmsSegments } from "@/lib/sms-segments";
import { classifyReplyIntent, DEFAULT_REPLY_INTENT_RULES, type ReplyIntentRuleSet } from "@/lib/reply-intent";
import { recordAudit } from "../../audit/record";
import type { ServiceContext } from "../../context";
import { Prisma } from "@/generated/prisma/client";
import type { Db } from "../../db";
import { env } from "../../env";
import { AppError, isUniqueViolation, notFound } from "../../errors";
import { PROVIDERS } from "../../providers/registry";
import { SMS_REPLY_SETTINGS_SELECT, senderIdentityFor, smsReplyConfigFrom } from "../reply-config";
import { REPLY_INTENT_SETTINGS_SELECT, replyIntentConfigFrom } from "../reply-intent-config";
import { SMS_INBOUND_WEBHOOK_PATH, SMS_STATUS_CALLBACK_PATH } from "../webhook-route";
import type { addSenderInput, tryRulesInput, updateIdentityInput, updateReplyIntentInput, updateRulesInput, updateSenderInput, updateTextsInput } from "./schema";

type Ctx = Pick<ServiceContext, "db" | "orgId" | "userId" | "role" | "requestId">;
type Tx = Prisma.TransactionClient;

/** More than any organization needs; a bound on what one admin can claim. */
export const MAX_SENDERS_PER_ORGANIZATION = 50;

const SENDER_SELECT = { id: true, kind: true, value: true, messagesPerSecond: true, createdAt: true } as const;

/** The sending number {contact} falls back to: the same one auto-reply.ts uses (the first phone number). */
async function firstSendingNumber(db: Db | Tx, orgId: string): Promise<string | null> {
  const identity = await db.smsSenderIdentity.findFirst({
    where: { organizationId: orgId, kind: "phone_number" },
    orderBy: { createdAt: "asc" },
    select: { value: true },
  });
  return identity?.value ?? null;
}

function texting() {
  const twilio = PROVIDERS.twilio;
  const live = twilio.live();
  return {
    live,
    label: live ? "Live — Twilio" : "Simulated",
    description: live
      ? "Texts go out through your Twilio account and are billed by Twilio. Inbound replies arrive at the webhook below."
      : `${twilio.sandboxDescription}. Nothing leaves LeadFlow and nothing is billed; add Twilio credentials (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN) to go live.`,
  };
}

/** Managers read the page (canEdit false); only admins may change it. */
export async function getSmsSettings({ db, orgId, role }: Pick<Ctx, "db" | "orgId" | "role">) {
  const [organization, senders, fallbackNumber] = await Promise.all([
    db.organization.findUniqueOrThrow({ where: { id: orgId }, select: { name: true, settings: { select: { ...SMS_REPLY_SETTINGS_SELECT, ...REPLY_INTENT_SETTINGS_SELECT } } } }),
    db.smsSenderIdentity.findMany({ where: { organizationId: orgId }, orderBy: [{ kind: "asc" }, { createdAt: "asc" }], select: SENDER_SELECT }),
    firstSendingNumber(db, orgId),
  ]);
  const stored = organization.settings;
  const config = smsReplyConfigFrom(orgId, stored);
  const sender = senderIdentityFor(config, organization.name, fallbackNumber);
  const intent = replyIntentConfigFrom(orgId, stored);
  const storedProblems: string[] = [];
  if (intent.storedRulesInvalid) {
    storedProblems.push("The saved reply intent rules no longer validate, so replies are read with LeadFlow's default intent rules. Review them below and save them again.");
  }
  if (stored?.smsReplyRules != null && !smsReplyRuleSetSchema.safeParse(stored.smsReplyRules).success) {
    storedProblems.push("The saved reply rules no longer validate, so inbound messages are classified with LeadFlow's defaults. Review the rules below and save them again.");
  }
  if (stored?.smsReplyTexts != null && !smsReplyTextsSchema.safeParse(stored.smsReplyTexts).success) {
    storedProblems.push("The saved reply texts no longer validate, so the default texts are sent. Review the texts below and save them again.");
  }
  const base = (env.PUBLIC_BASE_URL ?? env.NEXTAUTH_URL).replace(/\/+$/, "");
  return {
    organizationName: organization.name,
    mode: texting(),
    webhooks: { inboundUrl: `${base}${SMS_INBOUND_WEBHOOK_PATH}`, statusUrl: `${base}${SMS_STATUS_CALLBACK_PATH}` },
    senders,
    identity: {
      brandName: config.brandName,
      helpContact: config.helpContact,
      brand: sender.brand,
      contact: sender.contact,
      contactFallback: fallbackNumber ?? "this number",
    },
    texts: config.texts,
    customisedTexts: config.customisedTexts,
    rules: config.rules,
    customisedRules: config.customisedRules,
    storedProblems,
    defaults: { texts: DEFAULT_SMS_REPLY_TEXTS, rules: DEFAULT_SMS_REPLY_RULES },
    replyIntent: { mode: intent.mode, rules: intent.rules, customisedRules: intent.customisedRules, defaultRules: DEFAULT_REPLY_INTENT_RULES },
    canEdit: role === "admin",
  };
}

const TAKEN_ELSEWHERE =
  "is already registered to another LeadFlow organization, and inbound texts can be routed to only one. If it is yours, remove it there first or contact support.";

export async function addSender(ctx: Ctx, input: z.infer<typeof addSenderInput>) {
  const { kind, value } = input.value;
  const { messagesPerSecond } = input;
  const what = kind === "messaging_service" ? `Messaging Service ${value}` : `The number ${value}`;
  try {
    return await ctx.db.$transaction(async (tx) => {
      const existing = await tx.smsSenderIdentity.findUnique({ where: { value }, select: { organizationId: true } });
      if (existing) {
        throw existing.organizationId === ctx.orgId
          ? new AppError("CONFLICT", `${what} is already one of your senders.`, { field: "value" })
          : new AppError("CONFLICT", `${what} ${TAKEN_ELSEWHERE}`, { field: "value" });
      }
      const count = await tx.smsSenderIdentity.count({ where: { organizationId: ctx.orgId } });
      if (count >= MAX_SENDERS_PER_ORGANIZATION) {
        throw new AppError("PRECONDITION_FAILED", `An organization can have at most ${MAX_SENDERS_PER_ORGANIZATION} senders; remove one first.`);
      }
      const created = await tx.smsSenderIdentity.create({ data: { organizationId: ctx.orgId, kind, value, messagesPerSecond }, select: SENDER_SELECT });
      await recordAudit(tx, {
        orgId: ctx.orgId,
        actorId: ctx.userId,
        action: "settings.sms_sender_added",
        targetType: "sms_sender",
        targetId: created.id,
        details: { kind, value, messagesPerSecond },
        requestId: ctx.requestId,
      });
      return created;
    });
  } catch (error) {
    // Two admins (of any organizations) adding the same value at once: the unique index decides.
    if (isUniqueViolation(error)) {
      const owner = await ctx.db.smsSenderIdentity.findUnique({ where: { value }, select: { organizationId: true } });
      throw new AppError("CONFLICT", owner?.organizationId === ctx.orgId ? `${what} is already one of your senders.` : `${what} ${TAKEN_ELSEWHERE}`, { field: "value" });
    }
    throw error;
  }
}

export async function removeSender(ctx: Ctx, senderId: string) {
  return ctx.db.$transaction(async (tx) => {
    const sender = await tx.smsSenderIdentity.findFirst({ where: { id: senderId, organizationId: ctx.orgId }, select: { id: true, kind: true, value: true } });
    if (!sender) throw notFound("That sender");
    await tx.smsSenderIdentity.deleteMany({ where: { id: sender.id, organizationId: ctx.orgId } });
    const remaining = await tx.smsSenderIdentity.count({ where: { organizationId: ctx.orgId } });
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actorId: ctx.userId,
      action: "settings.sms_sender_removed",
      targetType: "sms_sender",
      targetId: sender.id,
      details: { kind: sender.kind, value: sender.value, remainingSenders: remaining },
      requestId: ctx.requestId,
    });
    return { ok: true as const };
  });
}

/** The sender's throughput (messages per second), which caps the throttle of the campaigns sent from it. */
export async function updateSender(ctx: Ctx, input: z.infer<typeof updateSenderInput>) {
  return ctx.db.$transaction(async (tx) => {
    const [before] = await tx.$queryRaw<{ id: string; value: string; messagesPerSecond: number }[]>`
      SELECT "id", "value", "messagesPerSecond" FROM "SmsSenderIdentity" WHERE "id" = ${input.id} AND "organizationId" = ${ctx.orgId} FOR UPDATE`;
    if (!before) throw notFound("That sender");
    const updated = await tx.smsSenderIdentity.update({ where: { id: before.id }, data: { messagesPerSecond: input.messagesPerSecond }, select: SENDER_SELECT });
    if (before.messagesPerSecond !== input.messagesPerSecond) {
      await recordAudit(tx, {
        orgId: ctx.orgId,
        actorId: ctx.userId,
        action: "settings.sms_sender_updated",
        targetType: "sms_sender",
        targetId: before.id,
        details: { value: before.value, before: { messagesPerSecond: before.messagesPerSecond }, after: { messagesPerSecond: input.messagesPerSecond } },
        requestId: ctx.requestId,
      });
    }
    return updated;
  });
}

/** The settings row, locked for this transaction (created with the defaults if missing). */
async function lockedSettings(tx: Tx, orgId: string) {
  await tx.organizationSettings.upsert({ where: { organizationId: orgId }, create: { organizationId: orgId }, update: {} });
  const [row] = await tx.$queryRaw<{ smsBrandName: string | null; smsHelpContact: string | null; smsReplyTexts: unknown; smsReplyRules: unknown }[]>`
    SELECT "smsBrandName", "smsHelpContact", "smsReplyTexts", "smsReplyRules" FROM "OrganizationSettings" WHERE "organizationId" = ${orgId} FOR UPDATE`;
  return row!;
}

export async function updateIdentity(ctx: Ctx, input: z.infer<typeof updateIdentityInput>) {
  await ctx.db.$transaction(async (tx) => {
    const before = await lockedSettings(tx, ctx.orgId);
    // An update bumps updatedAt (@updatedAt), which is what reply-config's cache is keyed by.
    await tx.organizationSettings.update({ where: { organizationId: ctx.orgId }, data: { smsBrandName: input.brandName, smsHelpContact: input.helpContact } });
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actorId: ctx.userId,
      action: "settings.sms_identity_updated",
      targetType: "organization",
      targetId: ctx.orgId,
      details: {
        before: { brandName: before.smsBrandName, helpContact: before.smsHelpContact },
        after: { brandName: input.brandName, helpContact: input.helpContact },
      },
      requestId: ctx.requestId,
    });
  });
  return getSmsSettings(ctx);
}

export async function updateTexts(ctx: Ctx, input: z.infer<typeof updateTextsInput>) {
  await ctx.db.$transaction(async (tx) => {
    const before = await lockedSettings(tx, ctx.orgId);
    await tx.organizationSettings.update({
      where: { organizationId: ctx.orgId },
      data: { smsReplyTexts: input.texts === null ? Prisma.DbNull : input.texts },
    });
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actorId: ctx.userId,
      action: input.texts === null ? "settings.sms_texts_reset" : "settings.sms_texts_updated",
      targetType: "organization",
      targetId: ctx.orgId,
      details: { before: (before.smsReplyTexts ?? null) as Prisma.InputJsonValue, after: input.texts, reset: input.texts === null },
      requestId: ctx.requestId,
    });
  });
  return getSmsSettings(ctx);
}

type RuleSetChanges = {
  reset: boolean;
  added: string[];
  removed: string[];
  changed: { id: string; fields: string[]; phrasesAdded: string[]; phrasesRemoved: string[] }[];
};

/** What changed between two rule sets, for the audit trail (the rule sets themselves can be large). */
export function ruleSetChanges(before: SmsReplyRuleSet, after: SmsReplyRuleSet, reset: boolean): RuleSetChanges {
  const beforeById = new Map(before.rules.map((rule) => [rule.id, rule]));
  const afterIds = new Set(after.rules.map((rule) => rule.id));
  const changed: RuleSetChanges["changed"] = [];
  for (const rule of after.rules) {
    const old = beforeById.get(rule.id);
    if (!old) continue;
    const fields: string[] = (["kind", "match", "explanation", "unless", "unlessAnywhere"] as const).filter(
      (field) => JSON.stringify(old[field] ?? null) !== JSON.stringify(rule[field] ?? null),
    );
    const phrasesAdded = rule.phrases.filter((p) => !old.phrases.includes(p));
    const phrasesRemoved = old.phrases.filter((p) => !rule.phrases.includes(p));
    if (phrasesAdded.length || phrasesRemoved.length) fields.push("phrases");
    if (fields.length) changed.push({ id: rule.id, fields, phrasesAdded: phrasesAdded.slice(0, 50), phrasesRemoved: phrasesRemoved.slice(0, 50) });
  }
  return {
    reset,
    added: after.rules.filter((rule) => !beforeById.has(rule.id)).map((rule) => rule.id),
    removed: before.rules.filter((rule) => !afterIds.has(rule.id)).map((rule) => rule.id),
    changed,
  };
}

export async function updateRules(ctx: Ctx, input: z.infer<typeof updateRulesInput>) {
  await ctx.db.$transaction(async (tx) => {
    const before = await lockedSettings(tx, ctx.orgId);
    const parsedBefore = before.smsReplyRules == null ? null : smsReplyRuleSetSchema.safeParse(before.smsReplyRules);
    const previous = parsedBefore?.success ? parsedBefore.data : DEFAULT_SMS_REPLY_RULES;
    await tx.organizationSettings.update({
      where: { organizationId: ctx.orgId },
      data: { smsReplyRules: input.ruleSet === null ? Prisma.DbNull : (input.ruleSet as Prisma.InputJsonValue) },
    });
    const changes = ruleSetChanges(previous, input.ruleSet ?? DEFAULT_SMS_REPLY_RULES, input.ruleSet === null);
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actorId: ctx.userId,
      action: input.ruleSet === null ? "settings.sms_rules_reset" : "settings.sms_rules_updated",
      targetType: "organization",
      targetId: ctx.orgId,
      details: { ...changes, ruleCount: (input.ruleSet ?? DEFAULT_SMS_REPLY_RULES).rules.length },
      requestId: ctx.requestId,
    });
  });
  return getSmsSettings(ctx);
}

/** Reply intent: the mode (suggest / apply) and the intent rules (null: the defaults), audited with what changed. */
export async function updateReplyIntent(ctx: Ctx, input: z.infer<typeof updateReplyIntentInput>) {
  await ctx.db.$transaction(async (tx) => {
    await lockedSettings(tx, ctx.orgId);
    const [before] = await tx.$queryRaw<{ replyIntentMode: string; replyIntentRules: unknown }[]>`
      SELECT "replyIntentMode", "replyIntentRules" FROM "OrganizationSettings" WHERE "organizationId" = ${ctx.orgId}`;
    const previous = replyIntentConfigFrom(ctx.orgId, before);
    await tx.organizationSettings.update({
      where: { organizationId: ctx.orgId },
      data: { replyIntentMode: input.mode, replyIntentRules: input.ruleSet === null ? Prisma.DbNull : (input.ruleSet as Prisma.InputJsonValue) },
    });
    const after: ReplyIntentRuleSet = input.ruleSet ?? DEFAULT_REPLY_INTENT_RULES;
    const beforeIds = new Set(previous.rules.rules.map((rule) => rule.id));
    const afterIds = new Set(after.rules.map((rule) => rule.id));
    const changedRules = after.rules
      .filter((rule) => beforeIds.has(rule.id))
      .filter((rule) => JSON.stringify(rule) !== JSON.stringify(previous.rules.rules.find((old) => old.id === rule.id)))
      .map((rule) => rule.id);
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actorId: ctx.userId,
      action: "settings.reply_intent_updated",
      targetType: "organization",
      targetId: ctx.orgId,
      details: {
        mode: { before: previous.mode, after: input.mode },
        rulesReset: input.ruleSet === null,
        added: after.rules.filter((rule) => !beforeIds.has(rule.id)).map((rule) => rule.id),
        removed: previous.rules.rules.filter((rule) => !afterIds.has(rule.id)).map((rule) => rule.id),
        changed: changedRules,
        ruleCount: after.rules.length,
      },
      requestId: ctx.requestId,
    });
  });
  return getSmsSettings(ctx);
}

/** Classifies a sample message (no writes): against the draft when given, else the stored rules. */
export async function tryRules({ db, orgId }: Ctx, input: z.infer<typeof tryRulesInput>) {
  const [organization, fallbackNumber] = await Promise.all([
    db.organization.findUniqueOrThrow({ where: { id: orgId }, select: { name: true, settings: { select: { ...SMS_REPLY_SETTINGS_SELECT, ...REPLY_INTENT_SETTINGS_SELECT } } } }),
    firstSendingNumber(db, orgId),
  ]);
  const config = smsReplyConfigFrom(orgId, organization.settings);
  const rules = input.ruleSet ?? config.rules;
  const result = classifyInboundSms(input.body, rules, { optOutType: input.optOutType ?? null });
  const intentRules = input.intentRuleSet ?? replyIntentConfigFrom(orgId, organization.settings).rules;
  const intent = classifyReplyIntent(input.body, intentRules, { sms: result });
  const autoReply = autoReplyFor(result, senderIdentityFor(config, organization.name, fallbackNumber), config.texts);
  return {
    outcome: result.outcome,
    ruleId: result.ruleId,
    phrase: result.phrase,
    matchedText: result.matchedText,
    reason: result.reason,
    suppression: result.suppression,
    answeredByProvider: result.answeredByProvider,
    matches: result.matches,
    normalizedText: result.normalized.text,
    autoReply,
    autoReplySegments: autoReply === null ? null : countSmsSegments(autoReply).segments,
    usedDraft: !!input.ruleSet,
    intent: { intent: intent.intent, ruleId: intent.ruleId, matchedText: intent.matchedText, reason: intent.reason },
  };
}
