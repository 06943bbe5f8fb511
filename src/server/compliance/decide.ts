import "server-only";
import {
  areaCodeOf,
  quietHoursVerdict,
  resolveRecipientLocation,
  sendTimeVerdict,
  zip5,
  type QuietHoursVerdict,
  type RecipientLocation,
  type RuleRef,
} from "@/lib/quiet-hours";
import type { SuppressionReason } from "@/generated/prisma/enums";
import type { DncSource } from "@/lib/dnc-registry";
import { zip3sOfState } from "@/lib/us-zip3";
import { Prisma } from "@/generated/prisma/client";
import { lockUntilCommit, querySql, sqlPoolOf, type Db } from "../db";
import { engagedKillSwitch } from "../budget/kill-switches";
import { newId } from "../ids";
import { areaCodeIndex } from "./area-codes";
import { consentStatusFor, type ConsentStatus } from "./consent";
import { checkDnc, type DncCheckResult } from "./dnc";
import { SEND_BLOCK_REASONS, SEND_DEFER_REASONS, SEND_KINDS, SEND_OUTCOMES } from "./decisions-schema";
import { loadDecisionSettings, type DecisionSettings } from "./rules";

/**
 * The one send decision (issue 10): every text (campaign, inbox reply, auto-reply, STOP
 * confirmation, HELP answer, test) asks here first, and every answer is recorded as a SendDecision
 * row with the rule that decided and its source. The answer is
 *   allowed  — send now;
 *   blocked  — never for this request (reason code + a sentence a person understands);
 *   deferred — not now: quiet hours in the recipient's local time or the frequency cap; `until` is
 *              the first instant both allow.
 * Order: the sms kill switch, the phone (invalid / landline / wrong number), the opt-out list,
 * DNC (compliance/dnc.ts: internal list, registry extract, skip-trace DNC/TCPA flags; each check
 * stored as evidence), recorded consent (compliance/consent.ts, two organization settings: campaigns
 * may require a current consent; registry / skip-trace-DNC numbers may pass with a current express
 * written consent), then quiet hours and the frequency cap. A block outranks a deferral.
 *
 * Exempt from quiet hours and the frequency cap (COMPLIANCE.md): the one opt-out confirmation
 * (FCC 12-143: sent right after the STOP, within 5 minutes — waiting for morning would break it)
 * and the answer to a HELP text (CTIA: answer HELP with contact details; the person just asked).
 * Every other kind — campaign, inbox reply, other auto-replies, test — waits for the window and
 * counts against the cap. Every outbound message to the phone in the rolling 24 h counts, exempt
 * kinds and failed sends included (the stricter reading).
 *
 * The rules are the organization's own rows (ComplianceRule, seeded from COMPLIANCE.md, edited by
 * admins) and its settings (window 08:00–21:00 and cap 3 by default): see rules.ts.
 */
export { SEND_BLOCK_REASONS, SEND_DEFER_REASONS, SEND_KINDS, SEND_OUTCOMES };
export type SendKind = (typeof SEND_KINDS)[number];

/** Kinds that go out whatever the hour and the count (see above). */
export const TIME_EXEMPT_KINDS: ReadonlySet<SendKind> = new Set<SendKind>(["opt_out_confirmation", "help_reply"]);

export type SendBlockReason = (typeof SEND_BLOCK_REASONS)[number];
export type SendDeferReason = (typeof SEND_DEFER_REASONS)[number];

/** The rule behind an answer, as recorded and shown: its name, where it comes from, its state. */
export type DecisionRule = { name: string; source: string; state?: string };

export type SendVerdict =
  | {
      outcome: "allowed";
      location: string;
      /**
       * When the recipient's sending window closes: a message still queued then should be dropped
       * (Twilio's ValidityPeriod). Null for the kinds quiet hours do not hold back.
       */
      windowClosesAt: Date | null;
    }
  | { outcome: "blocked"; reason: SendBlockReason; message: string; rule: DecisionRule; location: string }
  | { outcome: "deferred"; until: Date; reason: SendDeferReason; message: string; rule: DecisionRule; location: string };

export type SendDecision = SendVerdict & { decisionId: string };

export type SendDecisionRequest = {
  orgId: string;
  phone: string;
  leadId?: string | null;
  kind: SendKind;
  at?: Date;
  /** The user behind an inbox reply or a test; null for automatic replies and campaigns. */
  actorUserId?: string | null;
  campaignId?: string | null;
};

/** A recipient of a batch; `address` replaces the lead's (the rules page's preview of a typed recipient). */
export type BatchRecipient = { phone: string; leadId?: string | null; address?: PreviewAddress };
export type PreviewAddress = { propertyZip?: string | null; mailingZip?: string | null; state?: string | null };

export type BatchDecisionRequest = Omit<SendDecisionRequest, "phone" | "leadId"> & {
  recipients: readonly BatchRecipient[];
  /** Kept on the DNC evidence rows: "preview", a campaign id …; default the campaign id or "decision:<kind>". */
  dncPurpose?: string;
};

/**
 * The STOP confirmation rule: a number that opted out by keyword may receive exactly one
 * confirmation, within 5 minutes of the opt-out (FCC 12-143, SoundBite), and nothing else: a
 * confirmation job that waited longer in the queue (a worker down) sends nothing. Refusals in free
 * text and provider 21610 opt-outs get none (the person did not text a keyword, or Twilio already answered).
 */
export const OPT_OUT_CONFIRMATION_WINDOW_MS = 5 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

const SUPPRESSION_REASON_TEXT: Record<SuppressionReason, string> = {
  keyword: "they texted STOP",
  refusal: "they asked not to be texted",
  provider_21610: "the carrier reports they unsubscribed (Twilio 21610)",
  manual: "your team added it to the opt-out list",
  import: "it was imported into the opt-out list",
  wrong_number: "it was reported as a wrong number",
};

/** The rule each block reason stands on, as the decision log shows it. */
const BLOCK_RULES: Record<Exclude<SendBlockReason, "no_send_window" | "dnc_listed">, DecisionRule> = {
  no_recorded_consent: {
    name: "Recorded consent required",
    source: "organization setting (Compliance → Consent log); CTIA Messaging Principles: no purchased or third-party lists for consent-based messaging",
  },
  kill_switch: { name: "SMS kill switch", source: "organization setting (Settings → Kill switches)" },
  suppressed: { name: "Opt-out list", source: "47 CFR 64.1200(a)(10)–(12) (revocation by any reasonable means); CTIA Messaging Principles" },
  phone_invalid: { name: "Invalid number", source: "carrier / Twilio result recorded on the lead's phone" },
  phone_landline: { name: "Landline", source: "line type recorded on the lead's phone (Twilio Lookup or error 21614)" },
  phone_wrong_number: { name: "Wrong number", source: "wrong-number report recorded on the lead's phone" },
  no_opt_out_to_confirm: { name: "One opt-out confirmation", source: "FCC 12-143 (SoundBite): one confirmation, no marketing, within 5 minutes" },
};

// ---------------------------------------------------------------------------------------------
// Facts: everything a decision reads, fetched for a whole batch in a constant number of queries.

type PhoneRow = { leadId: string; number: string; status: string; type: string };
type LeadRow = { id: string; zip: string; state: string; mailingAddress: string | null };
type SuppressionRow = { phone: string; reason: SuppressionReason; leadId: string | null; createdAt: Date };

/**
 * A DNC listing as the decision applies it (compliance/dnc.ts checkDnc answers; its evidence row is
 * written by that same query). `consentMayLift`: every source is the registry or a skip-trace DNC
 * flag, which a current express written consent lifts when the organization allows it (never the
 * internal list, which is the organization's own "do not contact", nor a TCPA litigator flag).
 */
export type DncVerdict = { message: string; rule: DecisionRule; consentMayLift: boolean };
const CONSENT_LIFTS_DNC: ReadonlySet<DncSource> = new Set<DncSource>(["registry", "skip_trace_dnc"]);

const DNC_SOURCE_TEXT: Record<DncSource, string> = {
  internal: "your do-not-contact list",
  registry: "the National Do Not Call Registry",
  skip_trace_dnc: "a skip-trace DNC flag",
  skip_trace_tcpa: "a skip-trace TCPA litigator flag",
};

function dncVerdict(result: DncCheckResult): DncVerdict | null {
  if (!result.listed) return null;
  const parts = result.sources.map((source) => {
    if (source === "internal" && result.internal) return `${DNC_SOURCE_TEXT.internal} ("${result.internal.reason}")`;
    if (source === "registry" && result.registry.extractDate) return `${DNC_SOURCE_TEXT.registry} (extract of ${result.registry.extractDate})`;
    return DNC_SOURCE_TEXT[source];
  });
  return {
    message: `This number is on ${parts.join(" and ")}. It cannot be texted.`,
    consentMayLift: result.sources.every((source) => CONSENT_LIFTS_DNC.has(source)),
    rule: {
      name: "Do-not-call",
      source: result.sources.includes("registry") || result.sources.includes("skip_trace_dnc")
        ? "FCC 23-107: the National DNC Registry covers texts (47 CFR 64.1200(c)(2))"
        : result.sources.includes("skip_trace_tcpa")
          ? "skip-trace TCPA litigator flag (COMPLIANCE.md: honor as an exclusion)"
          : "internal do-not-contact list (COMPLIANCE.md)",
    },
  };
}

type Facts = {
  kind: SendKind;
  at: Date;
  settings: DecisionSettings;
  /** Read only when a consent setting can change this batch's answers. */
  consent: Map<string, ConsentStatus>;
  killSwitch: string | null;
  phoneRows: Map<string, PhoneRow[]>;
  leads: Map<string, LeadRow>;
  suppressions: Map<string, SuppressionRow[]>;
  dnc: Map<string, DncVerdict>;
  sentAt: Map<string, Date[]>;
  confirmations: Map<string, Date[]>;
};

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
}

type Reader = Db | Prisma.TransactionClient;

/** The reads side by side, or (on a transaction's one connection) one after another. */
async function runAll<T extends readonly (() => Promise<unknown>)[]>(parallel: boolean, reads: T): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  if (parallel) return (await Promise.all(reads.map((read) => read()))) as never;
  const results: unknown[] = [];
  for (const read of reads) results.push(await read());
  return results as never;
}

async function gatherFacts(db: Reader, request: BatchDecisionRequest, at: Date): Promise<Facts> {
  const { orgId, kind } = request;
  const phones = [...new Set(request.recipients.map((r) => r.phone))];
  const timed = !TIME_EXEMPT_KINDS.has(kind);
  // On the pool the reads run side by side; inside decideSend's transaction (one connection) one after another.
  const [settings, killSwitch, phoneRows, suppressions, sentRows, confirmationRows, dnc] = await runAll(sqlPoolOf(db) !== null, [
    () => loadDecisionSettings(db, orgId),
    () => engagedKillSwitch(db, orgId, "sms"),
    () =>
      querySql<PhoneRow>(
        db,
        Prisma.sql`SELECT "leadId", "number", "status"::text AS status, "type"::text AS type FROM "LeadPhone" WHERE "organizationId" = ${orgId} AND "number" = ANY(${phones}::text[])`,
      ),
    () =>
      querySql<SuppressionRow>(
        db,
        Prisma.sql`SELECT "phone", "reason"::text AS reason, "leadId", "createdAt" AT TIME ZONE 'UTC' AS "createdAt" FROM "Suppression"
                   WHERE "organizationId" = ${orgId} AND "phone" = ANY(${phones}::text[]) AND "liftedAt" IS NULL ORDER BY "createdAt" DESC`,
      ),
    () =>
      timed
        ? querySql<{ phone: string; sentAt: Date }>(
            db,
            Prisma.sql`SELECT c."phone", m."createdAt" AT TIME ZONE 'UTC' AS "sentAt" FROM "Message" m JOIN "Conversation" c ON c."id" = m."conversationId"
                       WHERE c."organizationId" = ${orgId} AND c."phone" = ANY(${phones}::text[]) AND m."direction" = 'outbound'
                         AND m."createdAt" > (${new Date(at.getTime() - DAY_MS).toISOString()}::timestamptz AT TIME ZONE 'UTC')
                         AND m."createdAt" <= (${at.toISOString()}::timestamptz AT TIME ZONE 'UTC')`,
          )
        : Promise.resolve([]),
    () =>
      kind === "opt_out_confirmation"
        ? querySql<{ phone: string; decidedAt: Date }>(
            db,
            Prisma.sql`SELECT "phone", "decidedAt" AT TIME ZONE 'UTC' AS "decidedAt" FROM "SendDecision"
                       WHERE "organizationId" = ${orgId} AND "phone" = ANY(${phones}::text[]) AND "kind" = 'opt_out_confirmation' AND "outcome" = 'allowed'`,
          )
        : Promise.resolve([]),
    // DNC for the kinds that wait for the window (a STOP confirmation or a HELP answer is not a
    // solicitation); one statement that also writes each check as evidence (compliance/dnc.ts).
    () =>
      timed
        ? checkDnc(db, { organizationId: orgId, phones: phones.filter((phone) => phone !== ""), at, purpose: request.dncPurpose ?? request.campaignId ?? `decision:${kind}`, actorUserId: request.actorUserId ?? null })
        : Promise.resolve(new Map<string, DncCheckResult>()),
  ] as const);
  const phoneRowsByNumber = groupBy(phoneRows, (r) => r.number);
  // The lead(s) that place the recipient: the request's lead, else every lead of the org holding the number.
  const leadIds = new Set<string>();
  if (timed) {
    for (const recipient of request.recipients) {
      if (recipient.address) continue;
      if (recipient.leadId) leadIds.add(recipient.leadId);
      else for (const row of phoneRowsByNumber.get(recipient.phone) ?? []) leadIds.add(row.leadId);
    }
  }
  const leads = leadIds.size
    ? await querySql<LeadRow>(db, Prisma.sql`SELECT "id", "zip", "state", "mailingAddress" FROM "Lead" WHERE "organizationId" = ${orgId} AND "id" = ANY(${[...leadIds]}::text[])`)
    : [];
  const needsConsent = timed && ((kind === "campaign" && settings.consent.requireRecordedConsent) || (settings.consent.allowDncWithExpressConsent && dnc.size > 0));
  const consent = needsConsent ? await consentStatusFor(db, { organizationId: orgId, phones }) : new Map<string, ConsentStatus>();
  return {
    kind,
    at,
    settings,
    consent,
    killSwitch: killSwitch?.message ?? null,
    phoneRows: phoneRowsByNumber,
    leads: new Map(leads.map((l) => [l.id, l])),
    suppressions: groupBy(suppressions, (s) => s.phone),
    dnc: new Map([...dnc].flatMap(([phone, result]) => {
      const verdict = dncVerdict(result);
      return verdict ? [[phone, verdict] as const] : [];
    })),
    sentAt: new Map([...groupBy(sentRows, (r) => r.phone)].map(([phone, rows]) => [phone, rows.map((r) => new Date(r.sentAt))])),
    confirmations: new Map([...groupBy(confirmationRows, (r) => r.phone)].map(([phone, rows]) => [phone, rows.map((r) => new Date(r.decidedAt))])),
  };
}

// ---------------------------------------------------------------------------------------------
// The verdict for one recipient from the facts (no I/O). Location and quiet-hour answers are
// memoised per batch: thousands of recipients share a few dozen (zones, states) combinations.

/** The mailing ZIP at the end of a one-line mailing address ("PO Box 1, Miami, FL 33101-1234"). */
export function mailingZipOf(mailingAddress: string | null | undefined): string | null {
  const match = /(\d{5})(?:-\d{4})?\s*$/.exec((mailingAddress ?? "").trim());
  return match ? match[1]! : null;
}

type Memo = { locations: Map<string, RecipientLocation>; quiet: Map<string, QuietHoursVerdict> };

function describeLocation(location: RecipientLocation): string {
  const zones = location.zones.map((z) => `${z.zone} (${z.source})`).join(", ");
  const states = location.states.length ? location.states.map((s) => `${s.state} (${s.source})`).join(", ") : "none known";
  return `zones: ${zones}; states: ${states}`;
}

function locate(facts: Facts, memo: Memo, recipient: BatchRecipient): RecipientLocation {
  const addresses: { propertyZip: string | null; mailingZip: string | null; state?: string | null }[] = [];
  if (recipient.address) {
    addresses.push({ propertyZip: zip5(recipient.address.propertyZip), mailingZip: zip5(recipient.address.mailingZip), state: recipient.address.state ?? null });
  } else {
    const leadIds = recipient.leadId ? [recipient.leadId] : [...new Set((facts.phoneRows.get(recipient.phone) ?? []).map((r) => r.leadId))];
    for (const id of leadIds.sort()) {
      const lead = facts.leads.get(id);
      if (lead) addresses.push({ propertyZip: zip5(lead.zip), mailingZip: mailingZipOf(lead.mailingAddress), state: lead.state });
    }
  }
  const areaCode = areaCodeOf(recipient.phone) ?? "";
  const key = `${areaCode}|${addresses.map((a) => `${a.propertyZip ?? ""}/${a.mailingZip ?? ""}/${a.state ?? ""}`).join(";")}`;
  const cached = memo.locations.get(key);
  if (cached) return cached;
  const options = { orgTimeZone: facts.settings.timeZone, areaCodes: areaCodeIndex() };
  let location: RecipientLocation;
  if (addresses.length <= 1) {
    location = resolveRecipientLocation({ ...addresses[0], phone: recipient.phone }, options);
  } else {
    // A number shared by several leads: every lead's ZIPs are candidates (only the hours all allow).
    const parts = addresses.map((a) => resolveRecipientLocation({ ...a, phone: recipient.phone }, options));
    const zones = new Map<string, string>();
    const states = new Map<string, string>();
    for (const part of parts) {
      for (const z of part.zones) if (!(part.usedOrgZone && parts.some((p) => !p.usedOrgZone))) zones.set(z.zone, zones.has(z.zone) ? `${zones.get(z.zone)}, ${z.source}` : z.source);
      for (const s of part.states) states.set(s.state, states.has(s.state) ? `${states.get(s.state)}, ${s.source}` : s.source);
    }
    location = {
      zones: [...zones].map(([zone, source]) => ({ zone, source })),
      states: [...states].map(([state, source]) => ({ state, source })),
      usedOrgZone: parts.every((p) => p.usedOrgZone),
    };
  }
  // A state written on an address (the lead's property state, or one typed in the preview) is the
  // recipient's too; the area code's state is only the fallback when no address gives one.
  const addressStates = [...new Set(addresses.map((a) => a.state?.trim().toUpperCase() ?? "").filter((state) => /^[A-Z]{2}$/.test(state) && zip3sOfState(state).length > 0))];
  if (addressStates.length) {
    const states = location.states.filter((s) => !s.source.startsWith("area code"));
    for (const state of addressStates) if (!states.some((s) => s.state === state)) states.push({ state, source: recipient.address ? "entered state" : "property address" });
    location = { ...location, states };
  }
  memo.locations.set(key, location);
  return location;
}

function ruleOf(ref: RuleRef): DecisionRule {
  return ref.state ? { name: ref.name, source: ref.source, state: ref.state } : { name: ref.name, source: ref.source };
}

/** "Sun, Nov 29, 8:00 AM EST" in the recipient's zone. */
function localTime(instant: Date, zone: string): string {
  return new Intl.DateTimeFormat("en-US", { timeZone: zone, weekday: "short", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZoneName: "short" }).format(instant);
}

/** The library's reason without its "Quiet hours: " / "Frequency cap: " head and its "; opens <ISO>." tail. */
function why(reason: string): string {
  return reason.replace(/^(Quiet hours|Frequency cap): /, "").replace(/; (opens \S+|no allowed time within \d+ days)\.$/, "");
}

function timeVerdict(facts: Facts, memo: Memo, recipient: BatchRecipient, location: RecipientLocation, described: string): SendVerdict {
  const { settings, at } = facts;
  const zones = location.zones.map((z) => z.zone);
  const states = location.states.map((s) => s.state);
  const sentAt = facts.sentAt.get(recipient.phone) ?? [];
  const base = { at, zones, states, orgWindow: settings.orgWindow, rules: settings.rules };
  // Quiet hours alone, memoised per zones + states: when nothing was sent in 24 h, the whole answer.
  const key = `${zones.join(",")}|${states.join(",")}`;
  let quiet = memo.quiet.get(key);
  if (!quiet) memo.quiet.set(key, (quiet = quietHoursVerdict(base)));
  const verdict =
    sentAt.length > 0
      ? sendTimeVerdict({ ...base, sentAt, orgCap: settings.frequencyCap })
      : quiet.allowed
        ? ({ allowed: true } as const)
        : { allowed: false as const, kind: "quiet_hours" as const, opensAt: quiet.opensAt, reason: quiet.reason, rule: quiet.rule };
  if (verdict.allowed) return { outcome: "allowed", location: described, windowClosesAt: quiet.allowed ? quiet.closesAt : at };
  const rule = ruleOf(verdict.rule);
  const zone = zones[0]!;
  if (!verdict.opensAt) {
    return {
      outcome: "blocked",
      reason: "no_send_window",
      message: `Not sent: ${why(verdict.reason)}, and the rules leave no allowed time in the next 8 days. An admin can review them in Compliance → Rules.`,
      rule,
      location: described,
    };
  }
  const reason: SendDeferReason = verdict.kind === "quiet_hours" ? "quiet_hours" : "frequency_cap";
  const head =
    reason === "quiet_hours"
      ? `Quiet hours for this recipient: ${why(verdict.reason)}.`
      : `Frequency cap for this recipient: ${why(verdict.reason).replace(/ in the last 24 h,/, " in the last 24 hours and")}.`;
  return {
    outcome: "deferred",
    reason,
    until: verdict.opensAt,
    message: `${head} It can go ${localTime(verdict.opensAt, zone)} (${verdict.opensAt.toISOString()}).`,
    rule,
    location: described,
  };
}

function verdictFor(facts: Facts, memo: Memo, recipient: BatchRecipient): SendVerdict {
  const { kind, at } = facts;
  const timed = !TIME_EXEMPT_KINDS.has(kind);
  const location = timed ? locate(facts, memo, recipient) : null;
  const described = location ? describeLocation(location) : "";
  const block = (reason: Exclude<SendBlockReason, "no_send_window" | "dnc_listed">, message: string): SendVerdict => ({ outcome: "blocked", reason, message, rule: BLOCK_RULES[reason], location: described });

  if (facts.killSwitch) return block("kill_switch", facts.killSwitch);

  const rows = facts.phoneRows.get(recipient.phone) ?? [];
  if (rows.some((r) => r.status === "invalid")) return block("phone_invalid", "This number is not a valid phone number; it was marked invalid.");
  if (rows.some((r) => r.type === "landline")) return block("phone_landline", "This number is a landline and cannot receive texts.");
  if (recipient.leadId && rows.some((r) => r.leadId === recipient.leadId && r.status === "wrong_number")) {
    return block("phone_wrong_number", "This number was reported as a wrong number for this lead.");
  }

  const live = (facts.suppressions.get(recipient.phone) ?? []).filter((s) => s.leadId === null || (recipient.leadId && s.leadId === recipient.leadId));
  if (kind === "opt_out_confirmation") {
    const keywordOptOut = live.find((s) => s.leadId === null && s.reason === "keyword");
    if (!keywordOptOut || at.getTime() - keywordOptOut.createdAt.getTime() > OPT_OUT_CONFIRMATION_WINDOW_MS) {
      return block("no_opt_out_to_confirm", "There is no STOP from this number in the last 5 minutes to confirm: a confirmation goes within 5 minutes of the STOP or not at all (FCC 12-143).");
    }
    if ((facts.confirmations.get(recipient.phone) ?? []).some((d) => d >= keywordOptOut.createdAt)) {
      return block("no_opt_out_to_confirm", "This opt-out was already confirmed; nothing more is sent.");
    }
    return { outcome: "allowed", location: described, windowClosesAt: null };
  }
  // HELP is answered whatever the number's subscription state (CTIA): the answer is contact
  // details and opt-out instructions, never marketing. The kill switch and phone checks still apply.
  if (kind === "help_reply") return { outcome: "allowed", location: described, windowClosesAt: null };

  const suppression = live[0];
  if (suppression) {
    const scope = suppression.leadId ? "for this lead" : "for your organization";
    const day = suppression.createdAt.toISOString().slice(0, 10);
    return block("suppressed", `This number opted out ${scope}: ${SUPPRESSION_REASON_TEXT[suppression.reason]} (${day}). It cannot be texted.`);
  }
  const consent = facts.consent.get(recipient.phone);
  const dnc = facts.dnc.get(recipient.phone);
  const expressConsentLiftsDnc = facts.settings.consent.allowDncWithExpressConsent && consent?.current === true && consent.latest?.type === "express_written";
  if (dnc && !(dnc.consentMayLift && expressConsentLiftsDnc)) {
    const note = dnc.consentMayLift && facts.settings.consent.allowDncWithExpressConsent ? " Your settings let it be texted with a current express written consent, and it has none." : "";
    return { outcome: "blocked", reason: "dnc_listed", message: `${dnc.message}${note}`, rule: dnc.rule, location: described };
  }
  if (kind === "campaign" && facts.settings.consent.requireRecordedConsent && !consent?.current) {
    const since = consent?.latest && consent.lastRevokedAt ? ` Its last consent (${consent.latest.at.toISOString().slice(0, 10)}) was withdrawn on ${consent.lastRevokedAt.toISOString().slice(0, 10)}.` : "";
    return block("no_recorded_consent", `Your organization requires a recorded consent before campaign texts, and this number has none current.${since} Record one in Compliance → Consent log.`);
  }

  return timeVerdict(facts, memo, recipient, location!, described);
}

// ---------------------------------------------------------------------------------------------
// Recording: one INSERT … SELECT FROM unnest for any number of decisions.

async function recordDecisions(db: Reader, request: BatchDecisionRequest, at: Date, verdicts: readonly SendVerdict[]): Promise<string[]> {
  const ids = verdicts.map(() => newId());
  if (verdicts.length === 0) return ids;
  const col = <T>(pick: (v: SendVerdict, i: number) => T) => verdicts.map(pick);
  await querySql(
    db,
    Prisma.sql`INSERT INTO "SendDecision" ("id", "organizationId", "phone", "leadId", "kind", "outcome", "reason", "message", "deferredUntil", "ruleName", "ruleSource", "location", "actorUserId", "campaignId", "decidedAt")
      SELECT u.id, ${request.orgId}, u.phone, u.lead, ${request.kind}, u.outcome, u.reason, u.message, (u.until::timestamptz AT TIME ZONE 'UTC'), u.rule, u.source, NULLIF(u.location, ''),
             ${request.actorUserId ?? null}, ${request.campaignId ?? null}, (${at.toISOString()}::timestamptz AT TIME ZONE 'UTC')
      FROM unnest(${ids}::text[], ${col((_, i) => request.recipients[i]!.phone)}::text[], ${col((_, i) => request.recipients[i]!.leadId ?? null)}::text[],
                  ${col((v) => v.outcome)}::text[], ${col((v) => (v.outcome === "allowed" ? null : v.reason))}::text[], ${col((v) => (v.outcome === "allowed" ? null : v.message))}::text[],
                  ${col((v) => (v.outcome === "deferred" ? v.until.toISOString() : null))}::text[], ${col((v) => (v.outcome === "allowed" ? null : v.rule.name))}::text[],
                  ${col((v) => (v.outcome === "allowed" ? null : v.rule.source))}::text[], ${col((v) => v.location)}::text[])
        AS u(id, phone, lead, outcome, reason, message, until, rule, source, location)`,
  );
  return ids;
}

// ---------------------------------------------------------------------------------------------

/** Answers for many recipients without recording them (the rules page's preview, tests). */
export async function evaluateSends(db: Reader, request: BatchDecisionRequest): Promise<SendVerdict[]> {
  const at = request.at ?? new Date();
  const facts = await gatherFacts(db, request, at);
  const memo: Memo = { locations: new Map(), quiet: new Map() };
  return request.recipients.map((recipient) => verdictFor(facts, memo, recipient));
}

/**
 * The batch form (campaign pre-flight): one answer per recipient, in order, all recorded. A
 * constant number of queries whatever the size: settings, rules, kill switch, phones,
 * suppressions, messages of the last 24 h, leads, (confirmations), DNC (with its evidence), one insert.
 * Unlike decideSend it takes no per-number lock: use it to decide, not to guard "exactly one".
 */
export async function decideSendBatch(db: Db, request: BatchDecisionRequest): Promise<SendDecision[]> {
  const at = request.at ?? new Date();
  const verdicts = await evaluateSends(db, { ...request, at });
  const ids = await recordDecisions(db, request, at, verdicts);
  return verdicts.map((verdict, i) => ({ ...verdict, decisionId: ids[i]! }));
}

/**
 * Decides and records one send, with the same facts and verdict code as the batch form. An opt-out
 * confirmation is decided under a per-(organization, phone) lock in a transaction, so "exactly one
 * STOP confirmation" holds under concurrent callers (it counts earlier allowed confirmations, which
 * are decisions); every other kind reads on the pool side by side and records in one insert (a lock
 * would not serialize anything more for them: the cap counts messages, written after the decision).
 */
export async function decideSend(db: Db, request: SendDecisionRequest): Promise<SendDecision> {
  const at = request.at ?? new Date();
  const batch: BatchDecisionRequest = { ...request, at, recipients: [{ phone: request.phone, leadId: request.leadId ?? null }] };
  if (request.kind !== "opt_out_confirmation") {
    const [verdict] = await evaluateSends(db, batch);
    const [id] = await recordDecisions(db, batch, at, [verdict!]);
    return { ...verdict!, decisionId: id! };
  }
  return db.$transaction(async (tx) => {
    await lockUntilCommit(tx, `send-decision:${request.orgId}:${request.phone}`);
    // The opt-out it confirms was stamped by the database's clock (the inbound statement's now()):
    // decided and recorded on that clock too, "one confirmation" holds even when this process's
    // clock is behind the database's.
    const confirmedAt = request.at ?? (await tx.$queryRaw<{ now: Date }[]>`SELECT now() AS now`)[0]!.now;
    const confirmation = { ...batch, at: confirmedAt };
    const [verdict] = await evaluateSends(tx, confirmation);
    const [id] = await recordDecisions(tx, confirmation, confirmedAt, [verdict!]);
    return { ...verdict!, decisionId: id! };
  });
}

/** Links an allowed decision to the message it let through. */
export async function attachDecisionMessage(db: Db, decisionId: string, messageId: string): Promise<void> {
  await db.sendDecision.update({ where: { id: decisionId }, data: { messageId } });
}
