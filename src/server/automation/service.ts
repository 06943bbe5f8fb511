import "server-only";
import { classifyReplyIntent, DEFAULT_REPLY_INTENT_RULES, parseReplyIntentRuleSet } from "@/lib/reply-intent";
import { classifyInboundSms, DEFAULT_SMS_REPLY_RULES, parseSmsReplyRuleSet } from "@/lib/sms-replies";
import { matchRules, sequenceStepsSchema } from "@/lib/automation";
import type { LeadStatus } from "@/generated/prisma/enums";
import type { ServiceContext } from "../context";
import { AppError, notFound } from "../errors";
import { newId } from "../ids";
import { brandOf, RECIPIENT_LEAD_SELECT, renderFor } from "./recipients";
import { runSequenceSweep } from "./sequences";
import type {
  CreateRuleInput,
  CreateSequenceInput,
  RuleOutput,
  SequenceOutput,
  UpdateRuleInput,
  UpdateSequenceInput,
} from "./schema";

type Ctx = Pick<ServiceContext, "db" | "orgId" | "userId" | "role">;

const canEdit = (ctx: Pick<ServiceContext, "role">) => ctx.role === "manager" || ctx.role === "admin";

/** The campaign, member and tag a rule or sequence names must be this organization's. */
async function checkReferences(ctx: Ctx, refs: { campaignId?: string | null; assignUserId?: string | null; tagId?: string | null }) {
  const { db, orgId } = ctx;
  if (refs.campaignId && !(await db.campaign.findFirst({ where: { id: refs.campaignId, organizationId: orgId }, select: { id: true } }))) throw notFound("The campaign");
  if (refs.assignUserId && !(await db.membership.findFirst({ where: { userId: refs.assignUserId, organizationId: orgId, deactivatedAt: null }, select: { id: true } }))) throw notFound("The teammate");
  if (refs.tagId && !(await db.tag.findFirst({ where: { id: refs.tagId, organizationId: orgId }, select: { id: true } }))) throw notFound("The tag");
}

// --- rules -----------------------------------------------------------------------------------

export async function listRules(ctx: Ctx): Promise<{ rules: RuleOutput[]; canEdit: boolean }> {
  const { db, orgId } = ctx;
  const rules = await db.autoResponderRule.findMany({ where: { organizationId: orgId }, orderBy: [{ position: "asc" }, { id: "asc" }] });
  const ids = rules.map((r) => r.id);
  const [counts, last, campaigns] = await Promise.all([
    db.autoResponderFiring.groupBy({ by: ["ruleId", "status"], where: { organizationId: orgId, ruleId: { in: ids }, createdAt: { gt: new Date(Date.now() - 7 * 86_400_000) } }, _count: { _all: true } }),
    db.autoResponderFiring.groupBy({ by: ["ruleId"], where: { organizationId: orgId, ruleId: { in: ids } }, _max: { createdAt: true } }),
    db.campaign.findMany({ where: { organizationId: orgId, id: { in: rules.flatMap((r) => (r.campaignId ? [r.campaignId] : [])) } }, select: { id: true, name: true } }),
  ]);
  return {
    canEdit: canEdit(ctx),
    rules: rules.map((r) => ({
      id: r.id,
      name: r.name,
      enabled: r.enabled,
      position: r.position,
      intents: r.intents,
      phrases: r.phrases,
      campaignId: r.campaignId,
      campaignName: campaigns.find((c) => c.id === r.campaignId)?.name ?? null,
      replyTemplate: r.replyTemplate,
      setStatus: r.setStatus,
      assignUserId: r.assignUserId,
      tagId: r.tagId,
      firings7d: Object.fromEntries(counts.filter((c) => c.ruleId === r.id).map((c) => [c.status, c._count._all])),
      lastFiredAt: last.find((l) => l.ruleId === r.id)?._max.createdAt ?? null,
      updatedAt: r.updatedAt,
    })),
  };
}

const ruleData = (input: CreateRuleInput) => ({
  name: input.name,
  enabled: input.enabled,
  intents: [...new Set(input.intents)],
  phrases: [...new Set(input.phrases)],
  campaignId: input.campaignId,
  replyTemplate: input.replyTemplate || null,
  setStatus: input.setStatus,
  assignUserId: input.assignUserId,
  tagId: input.tagId,
});

export async function createRule(ctx: Ctx, input: CreateRuleInput): Promise<{ id: string }> {
  await checkReferences(ctx, input);
  const last = await ctx.db.autoResponderRule.aggregate({ where: { organizationId: ctx.orgId }, _max: { position: true } });
  return ctx.db.autoResponderRule.create({ data: { organizationId: ctx.orgId, createdById: ctx.userId, position: (last._max.position ?? -1) + 1, ...ruleData(input) }, select: { id: true } });
}

export async function updateRule(ctx: Ctx, input: UpdateRuleInput): Promise<{ id: string }> {
  await checkReferences(ctx, input);
  const { count } = await ctx.db.autoResponderRule.updateMany({ where: { id: input.id, organizationId: ctx.orgId }, data: ruleData(input) });
  if (count === 0) throw notFound("The rule");
  return { id: input.id };
}

export async function setRuleEnabled(ctx: Ctx, input: { id: string; enabled: boolean }): Promise<{ id: string }> {
  const { count } = await ctx.db.autoResponderRule.updateMany({ where: { id: input.id, organizationId: ctx.orgId }, data: { enabled: input.enabled } });
  if (count === 0) throw notFound("The rule");
  return { id: input.id };
}

/** Swaps the rule with its neighbour in position order (the first match fires). */
export async function moveRule(ctx: Ctx, input: { id: string; direction: "up" | "down" }): Promise<{ id: string }> {
  return ctx.db.$transaction(async (tx) => {
    const rules = await tx.autoResponderRule.findMany({ where: { organizationId: ctx.orgId }, orderBy: [{ position: "asc" }, { id: "asc" }], select: { id: true } });
    const at = rules.findIndex((r) => r.id === input.id);
    if (at < 0) throw notFound("The rule");
    const to = input.direction === "up" ? at - 1 : at + 1;
    if (to >= 0 && to < rules.length) [rules[at], rules[to]] = [rules[to]!, rules[at]!];
    for (const [position, rule] of rules.entries()) await tx.autoResponderRule.updateMany({ where: { id: rule.id, organizationId: ctx.orgId }, data: { position } });
    return { id: input.id };
  });
}

export async function deleteRule(ctx: Ctx, input: { id: string }): Promise<{ ok: true }> {
  const { count } = await ctx.db.autoResponderRule.deleteMany({ where: { id: input.id, organizationId: ctx.orgId } });
  if (count === 0) throw notFound("The rule");
  return { ok: true };
}

export async function ruleFirings(ctx: Ctx, input: { id: string }) {
  const rule = await ctx.db.autoResponderRule.findFirst({ where: { id: input.id, organizationId: ctx.orgId }, select: { id: true } });
  if (!rule) throw notFound("The rule");
  const firings = await ctx.db.autoResponderFiring.findMany({
    where: { ruleId: rule.id, organizationId: ctx.orgId },
    orderBy: { createdAt: "desc" },
    take: 50,
    select: { id: true, status: true, matchReason: true, reason: true, reasonMessage: true, conversationId: true, createdAt: true },
  });
  return { firings };
}

/** The "what would fire" box: the intent a reply reads as, and each enabled rule's answer (writes nothing). */
export async function testRules(ctx: Ctx, input: { body: string; campaignId: string | null }) {
  const { db, orgId } = ctx;
  const [rules, settings] = await Promise.all([
    db.autoResponderRule.findMany({ where: { organizationId: orgId }, orderBy: [{ position: "asc" }, { id: "asc" }] }),
    db.organizationSettings.findUnique({ where: { organizationId: orgId }, select: { replyIntentRules: true, smsReplyRules: true } }),
  ]);
  const parsed = settings?.replyIntentRules ? safeParse(parseReplyIntentRuleSet, settings.replyIntentRules) : null;
  const smsRules = (settings?.smsReplyRules ? safeParse(parseSmsReplyRuleSet, settings.smsReplyRules) : null) ?? DEFAULT_SMS_REPLY_RULES;
  // As the webhook and the intent step would read it: the texting outcome (keywords, refusals), then the intent.
  const sms = classifyInboundSms(input.body, smsRules);
  const intent = classifyReplyIntent(input.body, parsed ?? DEFAULT_REPLY_INTENT_RULES, { sms });
  const result = matchRules(rules, { body: input.body, intent: intent.intent, replyOutcome: sms.outcome === "none" ? null : sms.outcome, suppressed: false, threadCampaignId: input.campaignId });
  const rule = result.match ? rules.find((r) => r.id === result.match!.ruleId) : null;
  const reply = rule?.replyTemplate ? renderFor(rule.replyTemplate, { ownerName: "Maria Lopez", addressLine1: "12 Oak St", city: "Tampa", state: "FL", zip: "33602", mailingAddress: null }, await brandOf(db, orgId)) : null;
  return {
    intent: intent.intent,
    intentReason: intent.reason,
    blockedReason: result.blockedReason,
    match: result.match ? { ...result.match, reply } : null,
    verdicts: result.verdicts,
  };
}

/** An organization's edited rule set (Settings → Texting); null (the defaults) when it does not parse. */
function safeParse<T>(parse: (input: unknown) => T, stored: unknown): T | null {
  try {
    return parse(stored);
  } catch {
    return null;
  }
}

// --- sequences -------------------------------------------------------------------------------

/** One sequence per campaign: two would write the same (campaign, step, phone) rows. */
async function checkSequenceCampaign(ctx: Ctx, campaignId: string | null, exceptId?: string) {
  if (!campaignId) return;
  await checkReferences(ctx, { campaignId });
  const other = await ctx.db.sequence.findFirst({ where: { organizationId: ctx.orgId, campaignId, ...(exceptId ? { id: { not: exceptId } } : {}) }, select: { name: true } });
  if (other) throw new AppError("CONFLICT", `The sequence "${other.name}" already follows up this campaign: a campaign has one sequence.`);
}

export async function listSequences(ctx: Ctx): Promise<{ sequences: SequenceOutput[]; canEdit: boolean }> {
  const { db, orgId } = ctx;
  const sequences = await db.sequence.findMany({ where: { organizationId: orgId }, orderBy: [{ createdAt: "desc" }, { id: "asc" }] });
  const ids = sequences.map((s) => s.id);
  const [counts, campaigns] = await Promise.all([
    db.sequenceEnrollment.groupBy({ by: ["sequenceId", "status", "exitReason"], where: { organizationId: orgId, sequenceId: { in: ids } }, _count: { _all: true } }),
    db.campaign.findMany({ where: { organizationId: orgId, id: { in: sequences.flatMap((s) => (s.campaignId ? [s.campaignId] : [])) } }, select: { id: true, name: true } }),
  ]);
  return {
    canEdit: canEdit(ctx),
    sequences: sequences.map((s) => {
      const mine = counts.filter((c) => c.sequenceId === s.id);
      const sum = (status: string) => mine.filter((c) => c.status === status).reduce((n, c) => n + c._count._all, 0);
      const exitedBy: Record<string, number> = {};
      for (const c of mine) if (c.status === "exited") exitedBy[c.exitReason ?? "unknown"] = (exitedBy[c.exitReason ?? "unknown"] ?? 0) + c._count._all;
      const steps = sequenceStepsSchema.safeParse(s.steps);
      return {
        id: s.id,
        name: s.name,
        enabled: s.enabled,
        campaignId: s.campaignId,
        campaignName: campaigns.find((c) => c.id === s.campaignId)?.name ?? null,
        steps: steps.success ? steps.data : [],
        exitStatuses: s.exitStatuses,
        counts: { active: sum("active"), completed: sum("completed"), exited: sum("exited"), exitedBy },
        updatedAt: s.updatedAt,
      };
    }),
  };
}

export async function createSequence(ctx: Ctx, input: CreateSequenceInput): Promise<{ id: string }> {
  await checkSequenceCampaign(ctx, input.campaignId);
  return ctx.db.sequence.create({
    data: { organizationId: ctx.orgId, createdById: ctx.userId, name: input.name, enabled: input.enabled, campaignId: input.campaignId, steps: input.steps, exitStatuses: [...new Set(input.exitStatuses)] as LeadStatus[] },
    select: { id: true },
  });
}

/** Edits apply to the steps not yet written: a step already waiting keeps its text and time. */
export async function updateSequence(ctx: Ctx, input: UpdateSequenceInput): Promise<{ id: string }> {
  await checkSequenceCampaign(ctx, input.campaignId, input.id);
  const { count } = await ctx.db.sequence.updateMany({
    where: { id: input.id, organizationId: ctx.orgId },
    data: { name: input.name, enabled: input.enabled, campaignId: input.campaignId, steps: input.steps, exitStatuses: [...new Set(input.exitStatuses)] as LeadStatus[] },
  });
  if (count === 0) throw notFound("The sequence");
  return { id: input.id };
}

/** Off: no new recipients enter; those already in it go on (exit them by their lead status, or cancel the campaign). */
export async function setSequenceEnabled(ctx: Ctx, input: { id: string; enabled: boolean }): Promise<{ id: string }> {
  const { count } = await ctx.db.sequence.updateMany({ where: { id: input.id, organizationId: ctx.orgId }, data: { enabled: input.enabled } });
  if (count === 0) throw notFound("The sequence");
  return { id: input.id };
}

/** Only a sequence nobody is in (active) may be deleted. */
export async function deleteSequence(ctx: Ctx, input: { id: string }): Promise<{ ok: true }> {
  const sequence = await ctx.db.sequence.findFirst({ where: { id: input.id, organizationId: ctx.orgId }, select: { id: true } });
  if (!sequence) throw notFound("The sequence");
  if (await ctx.db.sequenceEnrollment.findFirst({ where: { sequenceId: sequence.id, status: "active" }, select: { id: true } })) {
    throw new AppError("CONFLICT", "Recipients are still in this sequence: turn it off and let them finish (or cancel its campaign) before deleting it.");
  }
  await ctx.db.sequence.deleteMany({ where: { id: sequence.id, organizationId: ctx.orgId } });
  return { ok: true };
}

/**
 * Starts the sequence on a selection of leads: a campaign of its own ("<name> (follow-up)",
 * running, sent by the dispatcher at the sender's pace) and one enrollment per lead's best
 * textable phone; the first step's row is written right away by a sweep, due at its send time.
 * Leads with no textable phone, or already in this sequence on that phone, are skipped with why.
 */
export async function startSequence(ctx: Ctx, input: { id: string; leadIds: string[]; senderIdentityId: string | null }) {
  const { db, orgId } = ctx;
  const sequence = await db.sequence.findFirst({ where: { id: input.id, organizationId: orgId } });
  if (!sequence) throw notFound("The sequence");
  const steps = sequenceStepsSchema.parse(sequence.steps);
  const sender = await db.smsSenderIdentity.findFirst({
    where: { organizationId: orgId, ...(input.senderIdentityId ? { id: input.senderIdentityId } : {}) },
    orderBy: [{ kind: "asc" }, { createdAt: "asc" }],
    select: { id: true, messagesPerSecond: true },
  });
  if (!sender) throw input.senderIdentityId ? notFound("The sender") : new AppError("PRECONDITION_FAILED", "Your organization has no SMS sender: an admin can add one in Settings → Texting.");
  const leadIds = [...new Set(input.leadIds)];
  const leads = await db.lead.findMany({
    where: { id: { in: leadIds }, organizationId: orgId, archivedAt: null },
    select: { id: true, ...RECIPIENT_LEAD_SELECT, phones: { where: { status: "ok", NOT: { type: "landline" } }, orderBy: [{ isBest: "desc" }, { createdAt: "asc" }], select: { number: true }, take: 1 } },
  });
  if (leads.length === 0) throw notFound("The leads");
  const skipped: { leadId: string; reason: string }[] = leadIds.filter((id) => !leads.some((l) => l.id === id)).map((leadId) => ({ leadId, reason: "not_found" }));
  const campaignId = newId();
  const now = new Date();
  const seen = new Set<string>();
  const enrollments = [];
  for (const lead of leads) {
    const phone = lead.phones[0]?.number;
    if (!phone) {
      skipped.push({ leadId: lead.id, reason: "no_textable_phone" });
      continue;
    }
    if (seen.has(phone)) {
      skipped.push({ leadId: lead.id, reason: "duplicate_phone" });
      continue;
    }
    seen.add(phone);
    enrollments.push({ id: newId(), organizationId: orgId, sequenceId: sequence.id, campaignId, leadId: lead.id, phone, status: "active" as const, step: 0, lastSentAt: now });
  }
  if (enrollments.length === 0) throw new AppError("PRECONDITION_FAILED", "None of the selected leads has a textable phone.", { skipped });
  await db.$transaction([
    db.campaign.create({
      data: {
        id: campaignId,
        organizationId: orgId,
        name: `${sequence.name} (follow-up)`,
        template: steps[0]!.template,
        senderIdentityId: sender.id,
        audience: { kind: "selection", leadIds: enrollments.map((e) => e.leadId) },
        ratePerSecond: Math.max(1, Math.min(sender.messagesPerSecond, 1)),
        status: "running",
        launchedAt: now,
        createdById: ctx.userId,
      },
    }),
    db.sequenceEnrollment.createMany({ data: enrollments }),
  ]);
  await runSequenceSweep(db);
  return { campaignId, enrolled: enrollments.length, skipped };
}

export async function automationOptions(ctx: Ctx) {
  const { db, orgId } = ctx;
  const [campaigns, members, tags, senders, org] = await Promise.all([
    db.campaign.findMany({ where: { organizationId: orgId, status: { notIn: ["cancelled"] } }, orderBy: { createdAt: "desc" }, take: 200, select: { id: true, name: true, status: true } }),
    db.membership.findMany({ where: { organizationId: orgId, deactivatedAt: null }, select: { user: { select: { id: true, name: true, email: true } } } }),
    db.tag.findMany({ where: { organizationId: orgId }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
    db.smsSenderIdentity.findMany({ where: { organizationId: orgId }, orderBy: [{ kind: "asc" }, { createdAt: "asc" }], select: { id: true, kind: true, value: true } }),
    db.organization.findUniqueOrThrow({ where: { id: orgId }, select: { timeZone: true } }),
  ]);
  return {
    campaigns,
    members: members.map((m) => ({ id: m.user.id, name: m.user.name || m.user.email })),
    tags,
    senders: senders.map((s) => ({ id: s.id, label: `${s.kind === "messaging_service" ? "Messaging Service" : "Number"} ${s.value}` })),
    timeZone: org.timeZone,
  };
}
