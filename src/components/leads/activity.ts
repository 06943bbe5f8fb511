import { formatCents } from "@/lib/money";
import { formatIsoDay, formatPhone } from "@/components/shared/format";
import { formatTimeOfDay } from "@/lib/task-due";
import { SOURCE_LABELS, STATUS_LABELS, type LeadSource, type LeadStatus } from "./labels";

export type ActivityIcon = "created" | "imported" | "updated" | "status" | "assigned" | "note" | "tag" | "won" | "lost" | "archived" | "skip_trace" | "message";
export type ActivityEvent = { kind: string; details: unknown };
export type ActivityLookups = {
  /** Tag id → name (a deleted tag is unknown). */
  tags: Map<string, string>;
  /** User id → display name. */
  people: Map<string, string>;
};

const FIELD_LABELS: Record<string, string> = {
  ownerName: "owner name",
  mailingAddress: "mailing address",
  absentee: "absentee flag",
  propertyType: "property type",
  beds: "beds",
  baths: "baths",
  sizeSqft: "size",
  yearBuilt: "year built",
  estimatedValueCents: "estimated value",
  equityPct: "equity",
  lastSaleDate: "last sale date",
  lastSalePriceCents: "last sale price",
  vacant: "vacancy",
  dealValueCents: "deal value",
  expectedCloseOn: "expected close",
};

/** What an inbound text meant, by the reply classifier's outcome; a plain reply says nothing extra. */
const INBOUND_OUTCOME_TEXT: Record<string, string> = {
  opt_out: "opted out",
  opt_in: "opted back in",
  help: "asked for help",
  refusal: "asked not to be texted",
  wrong_number: "said wrong number",
  review: "needs review",
};

const record = (details: unknown): Record<string, unknown> => (details && typeof details === "object" && !Array.isArray(details) ? (details as Record<string, unknown>) : {});
const str = (value: unknown) => (typeof value === "string" ? value : null);
const statusLabel = (value: unknown) => (typeof value === "string" && value in STATUS_LABELS ? STATUS_LABELS[value as LeadStatus] : str(value) ?? "?");

function list(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** One human sentence per timeline event, e.g. "Moved from New to Contacted". */
export function describeActivity(event: ActivityEvent, lookups: ActivityLookups): { icon: ActivityIcon; text: string } {
  const d = record(event.details);
  switch (event.kind) {
    case "created": {
      const source = str(d.source);
      if (source === "manual" || !source) return { icon: "created", text: "Created by hand" };
      if (source === "csv") return { icon: "imported", text: "Created from a CSV import" };
      // Leads added from search results record { source: "search", provider }.
      const searchedWith = source === "search" ? (str(d.provider) ?? "") : source;
      const label = SOURCE_LABELS[searchedWith as LeadSource] ?? searchedWith;
      return { icon: "created", text: label ? `Added from a${searchedWith === "attom" ? "n" : ""} ${label} property search` : "Added from a property search" };
    }
    case "imported": {
      const file = str(d.fileName) ?? str(d.filename);
      return { icon: "imported", text: file ? `Imported from ${file}` : "Imported from a CSV file" };
    }
    case "updated": {
      const fields = Array.isArray(d.fields) ? d.fields.filter((f): f is string => typeof f === "string").map((f) => FIELD_LABELS[f] ?? f) : [];
      return { icon: "updated", text: fields.length ? `Updated ${list(fields)}` : "Updated the details" };
    }
    case "status_changed": {
      const move = `from ${statusLabel(d.from)} to ${statusLabel(d.to)}`;
      if (d.reopened) return { icon: "status", text: `Reopened: moved ${move}` };
      if (d.reason === "sms_reply") return { icon: "status", text: `Moved ${move} (replied by text)` };
      if (d.reason === "reply_intent") return { icon: "status", text: `Moved ${move} (reply read as ${str(d.intentLabel) ?? str(d.intent)?.replace(/_/g, " ") ?? "a signal"})` };
      return { icon: "status", text: `Moved ${move}${d.bulk ? " (bulk action)" : ""}` };
    }
    case "assigned": {
      const to = str(d.to);
      if (!to) return { icon: "assigned", text: "Unassigned" };
      return { icon: "assigned", text: `Assigned to ${lookups.people.get(to) ?? "a former teammate"}` };
    }
    case "note_added":
      return { icon: "note", text: "Added a note" };
    case "task_created": {
      // A follow-up added on the lead (tasks.create): what, when, and who does it.
      const note = str(d.note);
      const dueOn = str(d.dueOn);
      const when = dueOn ? ` due ${formatIsoDay(dueOn)}${str(d.dueTime) ? ` at ${formatTimeOfDay(str(d.dueTime)!)}` : ""}` : "";
      const to = str(d.assigneeId);
      const who = to ? ` for ${lookups.people.get(to) ?? "a former teammate"}` : "";
      return { icon: "note", text: `Added a task${note ? ` "${note}"` : ""}${when}${who}` };
    }
    case "task_completed":
      return { icon: "note", text: `Completed a task${str(d.note) ? ` "${str(d.note)}"` : ""}` };
    case "task_reopened":
      return { icon: "note", text: `Reopened a task${str(d.note) ? ` "${str(d.note)}"` : ""}` };
    case "tagged":
    case "untagged": {
      const name = lookups.tags.get(str(d.tagId) ?? "");
      const verb = event.kind === "tagged" ? "Tagged" : "Removed tag";
      return { icon: "tag", text: name ? `${verb} “${name}”` : `${verb} (a tag since deleted)` };
    }
    case "won": {
      const amount = typeof d.amountCents === "number" ? formatCents(d.amountCents) : null;
      const date = str(d.date);
      return { icon: "won", text: `Marked won${amount ? `: ${amount}` : ""}${date ? ` on ${formatIsoDay(date)}` : ""}` };
    }
    case "lost": {
      const reason = str(d.reason);
      return { icon: "lost", text: reason ? `Marked lost: ${reason}` : "Marked lost" };
    }
    case "archived":
      return { icon: "archived", text: "Archived" };
    case "restored":
      return { icon: "archived", text: "Restored from the archive" };
    case "skip_traced": {
      const phones = typeof d.phones === "number" ? d.phones : typeof d.phoneCount === "number" ? d.phoneCount : null;
      const cost = typeof d.costCents === "number" ? formatCents(d.costCents) : null;
      const parts = [phones !== null ? `${phones} ${phones === 1 ? "phone" : "phones"} found` : null, cost ? `cost ${cost}` : null].filter(Boolean);
      return { icon: "skip_trace", text: `Skip traced${parts.length ? ` · ${parts.join(", ")}` : ""}` };
    }
    case "message_in": {
      const phone = str(d.phone);
      const from = phone ? ` from ${formatPhone(phone)}` : "";
      const meaning = INBOUND_OUTCOME_TEXT[str(d.outcome) ?? ""];
      return { icon: "message", text: `Received a text${from}${meaning ? ` · ${meaning}` : ""}` };
    }
    case "phone_marked": {
      // A teammate's mark on a phone from the lead page (leads.markPhone).
      const phone = str(d.phone);
      const number = phone ? formatPhone(phone) : "a phone";
      const text =
        d.mark === "wrong_number" ? `Marked ${number} as a wrong number`
        : d.mark === "verified" ? `Verified ${number}${str(d.bestPhone) === phone ? " (now the best phone)" : ""}`
        : d.mark === "do_not_call" ? `Marked ${number} do not call${d.addedToDncList ? " (added to the do-not-contact list)" : ""}`
        : `Marked ${number}`;
      return { icon: "updated", text };
    }
    case "reply_classified": {
      // What the reply classifier read (inbox/reply-intent.ts), with the sentence saying why.
      const intent = str(d.intentLabel) ?? str(d.intent)?.replace(/_/g, " ") ?? "unknown";
      const reason = str(d.reason);
      const suggested = str(d.suggestedStatus);
      const applied = str(d.appliedStatus);
      const action = applied ? ` · moved to ${statusLabel(applied)}` : suggested ? ` · suggested: move to ${statusLabel(suggested)}` : "";
      return { icon: "message", text: `Reply read as ${intent}${action}${reason ? ` — ${reason}` : ""}` };
    }
    case "message_out": {
      const phone = str(d.phone);
      return { icon: "message", text: `Sent a text${phone ? ` to ${formatPhone(phone)}` : ""}` };
    }
    default:
      return { icon: "updated", text: event.kind.replace(/_/g, " ") };
  }
}
