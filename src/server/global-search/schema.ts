import { z } from "zod";
import { safeString } from "@/lib/text-schema";
import { campaignStatusSchema } from "../campaigns/schema";
import { LEAD_STATUSES, TEMPERATURES } from "../leads/schema";

/** ⌘K (issue 13 item 5): what was typed. Pages are matched in the browser (a static list by role). */
export const globalSearchInput = z.object({ q: safeString().max(200) });

export const globalSearchLead = z.object({
  id: z.string(),
  addressLine1: z.string(),
  city: z.string(),
  state: z.string(),
  zip: z.string(),
  ownerName: z.string().nullable(),
  status: z.enum(LEAD_STATUSES),
  temperature: z.enum(TEMPERATURES),
  textable: z.boolean(),
  archived: z.boolean(),
  /** The lead's phone that matched a phone search (E.164), if that is how it was found. */
  matchedPhone: z.string().nullable(),
});

export const globalSearchConversation = z.object({
  id: z.string(),
  phone: z.string(),
  leadId: z.string().nullable(),
  ownerName: z.string().nullable(),
  address: z.string().nullable(),
  lastMessagePreview: z.string().nullable(),
  lastMessageAt: z.date().nullable(),
});

export const globalSearchCampaign = z.object({ id: z.string(), name: z.string(), status: campaignStatusSchema });

export const globalSearchOutput = z.object({
  leads: z.array(globalSearchLead),
  conversations: z.array(globalSearchConversation),
  campaigns: z.array(globalSearchCampaign),
});

export type GlobalSearchOutput = z.output<typeof globalSearchOutput>;
