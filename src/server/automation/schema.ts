import { z } from "zod";
import { idString, safeString } from "@/lib/text-schema";
import { phraseListSchema, RULE_REPLY_INTENTS, sequenceStepsSchema, sequenceStepSchema } from "@/lib/automation";
import { REPLY_INTENTS } from "@/lib/reply-intent";

/**
 * Automation (issue 12 items 5–6): auto-responder rules and follow-up sequences. Members read;
 * managers write. See auto-responders.ts and sequences.ts for what happens at run time.
 */

export const LEAD_STATUSES = ["new", "contacted", "replied", "interested", "negotiating", "under_contract", "closed", "dead"] as const;
export const leadStatusSchema = z.enum(LEAD_STATUSES);
export const ruleIntentSchema = z.enum(RULE_REPLY_INTENTS as unknown as [string, ...string[]]);
export const FIRING_STATUSES = ["claimed", "sent", "blocked", "deferred", "failed", "applied", "throttled"] as const;

export const idInput = z.object({ id: idString() });
export const okOutput = z.object({ ok: z.literal(true) });
export const idOutput = z.object({ id: z.string() });

// --- rules -----------------------------------------------------------------------------------

const ruleFields = z.object({
  name: safeString().trim().min(1, "Name the rule.").max(80, "A name is at most 80 characters."),
  intents: z.array(ruleIntentSchema).max(RULE_REPLY_INTENTS.length),
  phrases: phraseListSchema,
  campaignId: idString().nullable(),
  replyTemplate: safeString().trim().max(1600, "A reply is at most 1600 characters.").nullable(),
  setStatus: leadStatusSchema.nullable(),
  assignUserId: idString().nullable(),
  tagId: idString().nullable(),
  enabled: z.boolean(),
});

function checkRule<T extends z.infer<typeof ruleFields>>(rule: T, ctx: z.RefinementCtx) {
  if (rule.intents.length === 0 && rule.phrases.length === 0) ctx.addIssue({ code: "custom", path: ["intents"], message: "Choose at least one intent or phrase the rule reacts to." });
  if (!rule.replyTemplate && !rule.setStatus && !rule.assignUserId && !rule.tagId) ctx.addIssue({ code: "custom", path: ["replyTemplate"], message: "Give the rule something to do: a reply, a status, an assignee or a tag." });
}

export const createRuleInput = ruleFields.superRefine(checkRule);
export const updateRuleInput = ruleFields.extend({ id: idString() }).superRefine(checkRule);
export const setEnabledInput = z.object({ id: idString(), enabled: z.boolean() });
export const moveRuleInput = z.object({ id: idString(), direction: z.enum(["up", "down"]) });
export type CreateRuleInput = z.infer<typeof createRuleInput>;
export type UpdateRuleInput = z.infer<typeof updateRuleInput>;

export const ruleOutput = z.object({
  id: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  position: z.number().int(),
  intents: z.array(z.string()),
  phrases: z.array(z.string()),
  campaignId: z.string().nullable(),
  campaignName: z.string().nullable(),
  replyTemplate: z.string().nullable(),
  setStatus: leadStatusSchema.nullable(),
  assignUserId: z.string().nullable(),
  tagId: z.string().nullable(),
  /** Firings in the last 7 days by status. */
  firings7d: z.record(z.string(), z.number().int()),
  lastFiredAt: z.date().nullable(),
  updatedAt: z.date(),
});
export const listRulesOutput = z.object({ rules: z.array(ruleOutput), canEdit: z.boolean() });
export type RuleOutput = z.infer<typeof ruleOutput>;

export const testRulesInput = z.object({
  body: safeString().max(1600, "A reply is at most 1600 characters."),
  /** The campaign the thread's last campaign message came from (null: no campaign). */
  campaignId: idString().nullable(),
});
export const testRulesOutput = z.object({
  intent: z.enum(REPLY_INTENTS),
  intentReason: z.string(),
  blockedReason: z.string().nullable(),
  match: z.object({ ruleId: z.string(), ruleName: z.string(), reason: z.string(), reply: z.string().nullable() }).nullable(),
  verdicts: z.array(z.object({ ruleId: z.string(), ruleName: z.string(), matched: z.boolean(), reason: z.string() })),
});

export const firingsInput = z.object({ id: idString() });
export const firingsOutput = z.object({
  firings: z.array(
    z.object({ id: z.string(), status: z.enum(FIRING_STATUSES), matchReason: z.string(), reason: z.string().nullable(), reasonMessage: z.string().nullable(), conversationId: z.string(), createdAt: z.date() }),
  ),
});

// --- sequences -------------------------------------------------------------------------------

const sequenceFields = z.object({
  name: safeString().trim().min(1, "Name the sequence.").max(80, "A name is at most 80 characters."),
  campaignId: idString().nullable(),
  steps: sequenceStepsSchema,
  exitStatuses: z.array(leadStatusSchema).max(LEAD_STATUSES.length),
  enabled: z.boolean(),
});
export const createSequenceInput = sequenceFields;
export const updateSequenceInput = sequenceFields.extend({ id: idString() });
export type CreateSequenceInput = z.infer<typeof createSequenceInput>;
export type UpdateSequenceInput = z.infer<typeof updateSequenceInput>;

export const SEQUENCE_MAX_SELECTION = 500;
export const startSequenceInput = z.object({
  id: idString(),
  leadIds: z.array(idString()).min(1, "Select at least one lead.").max(SEQUENCE_MAX_SELECTION, `At most ${SEQUENCE_MAX_SELECTION} leads at once.`),
  senderIdentityId: idString().nullable(),
});
export const startSequenceOutput = z.object({ campaignId: z.string(), enrolled: z.number().int(), skipped: z.array(z.object({ leadId: z.string(), reason: z.string() })) });

export const sequenceOutput = z.object({
  id: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  campaignId: z.string().nullable(),
  campaignName: z.string().nullable(),
  steps: z.array(sequenceStepSchema),
  exitStatuses: z.array(leadStatusSchema),
  counts: z.object({ active: z.number().int(), completed: z.number().int(), exited: z.number().int(), exitedBy: z.record(z.string(), z.number().int()) }),
  updatedAt: z.date(),
});
export const listSequencesOutput = z.object({ sequences: z.array(sequenceOutput), canEdit: z.boolean() });
export type SequenceOutput = z.infer<typeof sequenceOutput>;

// --- options for the editors -----------------------------------------------------------------

export const automationOptionsOutput = z.object({
  campaigns: z.array(z.object({ id: z.string(), name: z.string(), status: z.string() })),
  members: z.array(z.object({ id: z.string(), name: z.string() })),
  tags: z.array(z.object({ id: z.string(), name: z.string() })),
  senders: z.array(z.object({ id: z.string(), label: z.string() })),
  timeZone: z.string(),
});
