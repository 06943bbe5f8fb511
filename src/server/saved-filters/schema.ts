import { z } from "zod";
import { safeString } from "@/lib/text-schema";
import { leadFiltersSchema } from "../leads/schema";

/** Lead-list filters saved by name: a quick view on the leads page and a campaign audience. */
export const savedFilterOutput = z.object({ id: z.string(), name: z.string(), filters: leadFiltersSchema, createdAt: z.date() });
export const listSavedFiltersOutput = z.array(savedFilterOutput);
export const saveFilterInput = z.object({
  name: safeString().trim().min(1, "Name the filter.").max(80, "Keep the name under 80 characters."),
  filters: leadFiltersSchema,
});
export const savedFilterIdInput = z.object({ id: safeString().min(1).max(64) });
export const okOutput = z.object({ ok: z.literal(true) });
/** Each saved filter's live count of matching leads. */
export const savedFilterCountsOutput = z.array(z.object({ id: z.string(), count: z.number().int() }));
