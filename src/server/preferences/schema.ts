import { z } from "zod";
import { LEAD_COLUMN_IDS } from "@/lib/lead-columns";

/** The leads list's optional columns a user chose (lib/lead-columns.ts), in the table's order. */
export const leadColumnsOutput = z.object({ columns: z.array(z.enum(LEAD_COLUMN_IDS)), saved: z.boolean() });
export const setLeadColumnsInput = z.object({ columns: z.array(z.enum(LEAD_COLUMN_IDS)).max(LEAD_COLUMN_IDS.length) });
