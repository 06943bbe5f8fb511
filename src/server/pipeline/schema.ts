import { z } from "zod";
import { LEAD_STATUSES, leadFiltersSchema, leadStatusSchema } from "../leads/schema";

/** The board's filters (the status filter is ignored: every stage is summed). */
export const pipelineSummaryInput = z.object({ filters: leadFiltersSchema.prefault({}) });

/** The open stages of the pipeline and how likely a deal in each is to close (the forecast's weights). */
export const OPEN_STAGES = ["new", "contacted", "replied", "interested", "negotiating", "under_contract"] as const satisfies readonly (typeof LEAD_STATUSES)[number][];
export const STAGE_WEIGHT_PERCENT: Record<(typeof OPEN_STAGES)[number], number> = {
  new: 5,
  contacted: 10,
  replied: 20,
  interested: 35,
  negotiating: 60,
  under_contract: 90,
};

const cents = z.number().int();
export const pipelineSummaryOutput = z.object({
  /** The organization's today (YYYY-MM-DD), the day the "closing soon" window starts. */
  today: z.string(),
  /** Every stage: leads with a deal value and their total (closed: what was won). */
  stages: z.array(z.object({ status: leadStatusSchema, leadsWithValue: z.number().int(), valueCents: cents })),
  forecast: z.object({
    stages: z.array(
      z.object({
        status: z.enum(OPEN_STAGES),
        leadsWithValue: z.number().int(),
        valueCents: cents,
        weightPercent: z.number().int(),
        /** valueCents × weightPercent / 100, rounded to the cent. */
        weightedCents: cents,
      }),
    ),
    openValueCents: cents,
    weightedCents: cents,
    /** Open deals expected to close in the next 30 days (today included). */
    closingSoonCount: z.number().int(),
    closingSoonCents: cents,
    /** Open deals whose expected close day has passed. */
    pastCloseCount: z.number().int(),
    wonValueCents: cents,
  }),
});
