import { z } from "zod";
import { safeString } from "@/lib/text-schema";
import { budgetTodayOutput, killSwitchKindSchema, paidProviderSchema } from "../budget/schema";


const MAX_CAP_CENTS = 10_000_000; // $100,000 a day

export const budgetOverviewOutput = z.object({
  timeZone: z.string(),
  today: z.string(),
  resetsAt: z.date(),
  /** unconfirmedCents: part of today's spend counted for calls the vendor never answered (timeouts). */
  providers: z.array(budgetTodayOutput.extend({ unconfirmedCents: z.number().int() })),
  history: z.array(z.object({ day: z.string(), spentCents: z.record(paidProviderSchema, z.number().int()) })),
});

export const updateBudgetInput = z.object({
  provider: paidProviderSchema,
  dailyCapCents: z.number().int("Whole cents only.").min(0).max(MAX_CAP_CENTS, "That cap is above $100,000 a day."),
  costPerCallCents: z.number().int("Whole cents only.").min(0).max(10_000),
});

export const resetBudgetInput = z.object({ provider: paidProviderSchema });

export const killSwitchOutput = z.object({
  kind: killSwitchKindSchema,
  engaged: z.boolean(),
  global: z.boolean(),
  reason: z.string().nullable(),
  changedBy: z.string().nullable(),
  changedAt: z.date().nullable(),
});

export const setKillSwitchInput = z.object({
  kind: killSwitchKindSchema,
  engaged: z.boolean(),
  reason: safeString().trim().min(3, "Say why (at least 3 characters); it goes in the audit log.").max(500),
});

export const providerStatusOutput = z.object({
  searchCache: z.object({ windowDays: z.number(), searches: z.number().int(), hits: z.number().int(), hitRate: z.number().nullable() }),
  providers: z.array(
    z.object({
      provider: z.enum(["attom", "batchdata", "twilio", "twilio_lookup", "openai"]),
      label: z.string(),
      mode: z.enum(["configured", "sandbox"]),
      modeDescription: z.string(),
      circuit: z.enum(["closed", "open", "half_open"]),
      consecutiveFailures: z.number().int(),
      lastError: z.string().nullable(),
      lastErrorAt: z.date().nullable(),
      lastSuccessAt: z.date().nullable(),
    }),
  ),
});
export const killSwitchListOutput = z.array(killSwitchOutput);
