import type { RouterOutputs } from "@/trpc/react";

/** Human names and fixed orders for lead enums; the server's schema decides what exists. */
export type LeadDetail = RouterOutputs["leads"]["get"];
export type LeadListItem = RouterOutputs["leads"]["list"]["items"][number];
export type LeadStatus = LeadListItem["status"];
export type Temperature = LeadListItem["temperature"];
export type LeadSource = LeadListItem["source"];
export type Tag = LeadListItem["tags"][number];

export const STATUS_LABELS: Record<LeadStatus, string> = {
  new: "New",
  contacted: "Contacted",
  replied: "Replied",
  interested: "Interested",
  negotiating: "Negotiating",
  under_contract: "Under contract",
  closed: "Closed",
  dead: "Dead",
};
export const LEAD_STATUSES = Object.keys(STATUS_LABELS) as LeadStatus[];

export const TEMPERATURE_LABELS: Record<Temperature, string> = { COLD: "Cold", WARM: "Warm", HOT: "Hot", ON_FIRE: "On fire" };
export const TEMPERATURES = Object.keys(TEMPERATURE_LABELS) as Temperature[];

export const SOURCE_LABELS: Record<LeadSource, string> = { attom: "ATTOM", sandbox: "Sandbox", csv: "CSV import", manual: "Manual" };
export const LEAD_SOURCES = Object.keys(SOURCE_LABELS) as LeadSource[];

export const PROPERTY_TYPE_LABELS: Record<string, string> = {
  sfr: "Single family",
  condo: "Condo",
  multi_family: "Multi-family",
  apartment: "Apartment",
  land: "Land",
  other: "Other",
};

export const STATUS_STYLES: Record<LeadStatus, string> = {
  new: "bg-slate-100 text-slate-700",
  contacted: "bg-sky-100 text-sky-800",
  replied: "bg-indigo-100 text-indigo-800",
  interested: "bg-violet-100 text-violet-800",
  negotiating: "bg-amber-100 text-amber-800",
  under_contract: "bg-teal-100 text-teal-800",
  closed: "bg-emerald-100 text-emerald-800",
  dead: "bg-red-100 text-red-700",
};

/** Full class strings so Tailwind sees them. Unknown colours fall back to slate. */
export const TAG_COLOR_STYLES: Record<string, string> = {
  slate: "bg-slate-100 text-slate-700 ring-slate-300",
  red: "bg-red-100 text-red-800 ring-red-300",
  amber: "bg-amber-100 text-amber-900 ring-amber-300",
  green: "bg-emerald-100 text-emerald-800 ring-emerald-300",
  teal: "bg-teal-100 text-teal-800 ring-teal-300",
  blue: "bg-blue-100 text-blue-800 ring-blue-300",
  violet: "bg-violet-100 text-violet-800 ring-violet-300",
  pink: "bg-pink-100 text-pink-800 ring-pink-300",
};
export const TAG_COLORS = ["slate", "red", "amber", "green", "teal", "blue", "violet", "pink"] as const;
export type TagColor = (typeof TAG_COLORS)[number];

export const personName = (person: { name: string | null; email: string } | null | undefined) => (person ? (person.name ?? person.email) : null);
