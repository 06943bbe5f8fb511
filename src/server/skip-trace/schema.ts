import { z } from "zod";
import { safeString } from "@/lib/text-schema";
import { budgetTodayOutput } from "../budget/schema";
import { bulkTargetSchema } from "../leads/schema";

const id = safeString().min(1).max(64);

export const estimateInput = z.object({ leadId: id });
export const estimateOutput = z.object({
  provider: z.enum(["batchdata", "sandbox"]),
  costIfMatchedCents: z.number().int(),
  budget: budgetTodayOutput,
  recencyDays: z.number().int(),
  lastTracedAt: z.date().nullable(),
  tracedRecently: z.boolean(),
  addressProblem: z.string().nullable(),
  killSwitch: z.string().nullable(),
});

export const runInput = z.object({
  leadId: id,
  /** Trace even if the lead was traced within the organization's recency window. */
  force: z.boolean().default(false),
  idempotencyKey: safeString().min(8).max(100).optional(),
});
export const runOutput = z.object({
  leadId: z.string(),
  outcome: z.enum(["matched", "no_match", "failed", "skipped_recent", "skipped_no_address"]),
  message: z.string(),
  recordId: z.string().optional(),
  costCents: z.number().int().optional(),
  bestPhone: z.string().nullable().optional(),
  bestPhoneReason: z.string().optional(),
  lastTracedAt: z.coerce.date().optional(),
  reason: z.string().optional(),
});

export const historyOutput = z.array(
  z.object({
    id: z.string(),
    provider: z.string(),
    outcome: z.enum(["matched", "no_match", "failed"]),
    matched: z.boolean(),
    costCents: z.number().int(),
    simulated: z.boolean(),
    confidence: z.number().nullable(),
    error: z.string().nullable(),
    createdAt: z.date(),
    jobId: z.string().nullable(),
    persons: z.array(z.unknown()),
  }),
);

export const validatePhonesInput = z.object({ leadId: id, phoneIds: z.array(id).min(1).max(20).optional() });

export const startBulkInput = z.object({ target: bulkTargetSchema, force: z.boolean().default(false) });
export const jobIdInput = z.object({ id });
export const jobOutput = z.object({
  id: z.string(),
  status: z.enum(["pending", "running", "completed", "stopped_cap", "cancelled", "failed"]),
  total: z.number().int(),
  processed: z.number().int(),
  matched: z.number().int(),
  noMatch: z.number().int(),
  failed: z.number().int(),
  skippedRecent: z.number().int(),
  skippedNoAddress: z.number().int(),
  costCents: z.number().int(),
  stopReason: z.string().nullable(),
  force: z.boolean(),
  createdAt: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
});

export const jobsOutput = z.array(jobOutput);

export const validatePhonesOutput = z.object({
  validated: z.array(z.object({ phoneId: z.string(), number: z.string(), from: z.string(), to: z.string(), valid: z.boolean(), costCents: z.number().int() })),
  bestPhone: z.string().nullable(),
  bestPhoneReason: z.string(),
});
