import type { TestUser } from "./factories";
import { testSessionId } from "./session-ids";

/** What another organization owns, for proving its ids are unreachable. */
export type ForeignOrg = {
  orgId: string;
  admin: TestUser;
  member: TestUser;
  inviteId: string;
  auditEntryId: string;
  /** An in-app notification of their admin's. */
  notificationId: string;
  /** A CSV import the other organization started. */
  importJobId: string;
  /** The file they uploaded for it (POST /api/imports/upload). */
  importUploadId: string;
  /** A search the other organization ran (and paid for) today. */
  searchQuery: unknown;
  leadId: string;
  /** The street address of their lead, to prove dedup never crosses organizations. */
  leadAddress: { addressLine1: string; city: string; state: string; zip: string; ownerName: string | null };
  noteId: string;
  /** A follow-up task on their lead. */
  taskId: string;
  tagId: string;
  tagName: string;
  skipTraceJobId: string;
  /** Their SMS sending number (SmsSenderIdentity) and its value. */
  senderIdentityId: string;
  senderNumber: string;
  /** A conversation with their lead's phone, holding an inbound message that went to their review queue. */
  conversationId: string;
  messageId: string;
  messagePhone: string;
  /** That lead phone's id (a phone of their lead). */
  leadPhoneId: string;
  /** A number that texted them STOP: their live suppression. */
  suppressionId: string;
  suppressedPhone: string;
  replyReviewId: string;
  /** Their internal do-not-contact entry (live) and its number; they also loaded a registry extract for its area code. */
  dncEntryId: string;
  dncPhone: string;
  /** A send decision recorded in their decision log. */
  sendDecisionId: string;
  /** Their saved lead filter and a launched campaign (texting their lead). */
  savedFilterId: string;
  campaignId: string;
  /** Their auto-responder rule and follow-up sequence (automation). */
  autoResponderRuleId: string;
  sequenceId: string;
  /** Their saved reply (their inbox's reply library). */
  savedReplyId: string;
  /** An API key their admin created (Settings → API keys). */
  apiKeyId: string;
  /** Their outbound webhook endpoint and a delivery in its log (Settings → Webhooks). */
  webhookEndpointId: string;
  webhookDeliveryId: string;
  /** Their saved property search and an "add all results" job of theirs (issue 14 items 6, 7). */
  savedSearchId: string;
  addAllJobId: string;
  /** Strings that must never appear in anything our organization is shown. */
  fingerprints: string[];
};

/** Valid bodies of an auto-responder rule and a follow-up sequence (automation). */
const AUTO_RULE = { name: "Interested", intents: ["interested"], phrases: [], replyTemplate: "Thanks! - {{brand}}", setStatus: null, assignUserId: null, tagId: null, enabled: true };
const SEQUENCE = { name: "Nudge", steps: [{ delayDays: 2, sendAt: "10:00", template: "Still thinking about {{property_address}}? - {{brand}}" }], exitStatuses: ["dead" as const], enabled: true };

/** A mapping for the import procedures' role and tenancy checks. */
const SMALL_CSV_MAPPING = { address: 0, zip: 1 };

export type MinimumRole = "public" | "signed-in" | "user" | "manager" | "admin";

export type ProcedureCase = {
  minRole: MinimumRole;
  /** Valid input for a call as a member of our organization (role checks run with it). */
  input?: (own: { member: TestUser }) => unknown;
  /** A subscription: a call its input passes opens a server-sent-events stream that stays open. */
  stream?: true;
  tenancy:
    | { kind: "foreign-id"; input: (foreign: ForeignOrg) => unknown }
    | { kind: "org-scoped-result"; input?: unknown | ((foreign: ForeignOrg) => unknown) }
    | { kind: "exempt"; reason: string };
};

/**
 * Every procedure of the app router, with its minimum role and how tenancy is proven.
 * tenancy.int.test.ts fails when a procedure exists that is not listed here.
 */
export const PROCEDURE_CATALOG: Record<string, ProcedureCase> = {
  "account.signUp": {
    minRole: "public",
    tenancy: { kind: "exempt", reason: "public: creates a new organization, reads none" },
  },
  "account.inviteInfo": {
    minRole: "public",
    tenancy: { kind: "exempt", reason: "public: addressed by an unguessable invite token, not by an id" },
  },
  "account.acceptInvite": {
    minRole: "public",
    tenancy: { kind: "exempt", reason: "public: addressed by an unguessable invite token, not by an id" },
  },
  "account.requestPasswordReset": {
    minRole: "public",
    input: () => ({ email: "nobody-here@example.com" }),
    tenancy: { kind: "exempt", reason: "public: answers the same for every address and reads no organization (password-reset.int.test.ts)" },
  },
  "account.passwordResetInfo": {
    minRole: "public",
    input: () => ({ token: "x".repeat(43) }),
    tenancy: { kind: "exempt", reason: "public: addressed by an unguessable emailed token, not by an id" },
  },
  "account.resetPassword": {
    minRole: "public",
    input: () => ({ token: "x".repeat(43), password: "long-enough-password" }),
    tenancy: { kind: "exempt", reason: "public: addressed by an unguessable emailed token, not by an id" },
  },
  "account.devOutbox": {
    minRole: "public",
    input: () => ({}),
    tenancy: { kind: "exempt", reason: "exists only with LEADFLOW_DEV_OUTBOX=1 (npm run dev, the end-to-end run): no organization, unsent mail only; NOT_FOUND elsewhere" },
  },
  "account.me": { minRole: "user", tenancy: { kind: "org-scoped-result" } },
  "account.sessions": { minRole: "user", tenancy: { kind: "org-scoped-result" } },
  "account.revokeSession": {
    minRole: "user",
    input: () => ({ sessionId: "not-a-session-of-yours" }),
    tenancy: { kind: "foreign-id", input: (f) => ({ sessionId: testSessionId(f.admin.id) }) },
  },
  "account.signOutEverywhere": {
    minRole: "user",
    tenancy: { kind: "exempt", reason: "acts only on the caller's own sessions; takes no id (account.int.test.ts)" },
  },
  "organization.get": { minRole: "user", tenancy: { kind: "org-scoped-result" } },
  "organization.update": {
    minRole: "admin",
    input: () => ({ name: "Renamed by test", timeZone: "America/Chicago" }),
    tenancy: { kind: "org-scoped-result", input: { name: "Our org", timeZone: "America/Chicago" } },
  },
  "organization.skipTraceSettings": { minRole: "user", tenancy: { kind: "org-scoped-result" } },
  "organization.updateSkipTraceSettings": {
    minRole: "admin",
    input: () => ({ skipTraceRecencyDays: 90, validateBestPhone: false }),
    tenancy: { kind: "org-scoped-result", input: { skipTraceRecencyDays: 60, validateBestPhone: false } },
  },
  "users.list": { minRole: "admin", tenancy: { kind: "org-scoped-result" } },
  "users.invite": {
    minRole: "admin",
    input: () => ({ email: "role-check@example.com", role: "user" }),
    tenancy: { kind: "org-scoped-result", input: { email: "tenancy-check@example.com", role: "user" } },
  },
  "users.revokeInvite": {
    minRole: "admin",
    input: () => ({ inviteId: "does-not-matter" }),
    tenancy: { kind: "foreign-id", input: (f) => ({ inviteId: f.inviteId }) },
  },
  "users.changeRole": {
    minRole: "admin",
    input: ({ member }) => ({ userId: member.id, role: "manager" }),
    tenancy: { kind: "foreign-id", input: (f) => ({ userId: f.member.id, role: "admin" }) },
  },
  "users.deactivate": {
    minRole: "admin",
    input: ({ member }) => ({ userId: member.id }),
    tenancy: { kind: "foreign-id", input: (f) => ({ userId: f.member.id }) },
  },
  "users.reactivate": {
    minRole: "admin",
    input: ({ member }) => ({ userId: member.id }),
    tenancy: { kind: "foreign-id", input: (f) => ({ userId: f.admin.id }) },
  },
  "budgets.overview": { minRole: "admin", tenancy: { kind: "org-scoped-result" } },
  "budgets.update": {
    minRole: "admin",
    input: () => ({ provider: "attom", dailyCapCents: 2000, costPerCallCents: 10 }),
    tenancy: { kind: "org-scoped-result", input: { provider: "attom", dailyCapCents: 1800, costPerCallCents: 10 } },
  },
  "budgets.resetToDefaults": {
    minRole: "admin",
    input: () => ({ provider: "attom" }),
    tenancy: { kind: "org-scoped-result", input: { provider: "batchdata" } },
  },
  "killSwitches.list": { minRole: "user", tenancy: { kind: "org-scoped-result" } },
  "killSwitches.set": {
    minRole: "admin",
    input: () => ({ kind: "sms", engaged: false, reason: "role check" }),
    tenancy: { kind: "org-scoped-result", input: { kind: "skip_trace", engaged: true, reason: "tenancy check" } },
  },
  "providers.status": { minRole: "admin", tenancy: { kind: "org-scoped-result" } },
  "suppressions.list": {
    minRole: "user",
    input: () => ({ filters: { state: "all" } }),
    tenancy: { kind: "foreign-id", input: (f) => ({ filters: { state: "all" }, cursor: f.suppressionId }) },
  },
  "suppressions.add": {
    minRole: "user",
    input: () => ({ phone: "(512) 555-0177", evidence: "role check" }),
    tenancy: { kind: "foreign-id", input: (f) => ({ phone: "+15125550178", evidence: "tenancy check", leadId: f.leadId }) },
  },
  "suppressions.lift": {
    minRole: "manager",
    input: () => ({ id: "missing", optInKind: "documented_consent", reason: "role check", evidence: "role check" }),
    tenancy: { kind: "foreign-id", input: (f) => ({ id: f.suppressionId, optInKind: "documented_consent", reason: "tenancy check", evidence: "tenancy check" }) },
  },
  "suppressions.import": {
    minRole: "manager",
    input: () => ({ fileName: "role-check.csv", csv: "phone\n+15125550179\n", source: "role check" }),
    tenancy: { kind: "org-scoped-result", input: { fileName: "tenancy.csv", csv: "phone\n+15125550180\nnot a phone\n", source: "tenancy check" } },
  },
  "consent.list": {
    minRole: "user",
    input: () => ({ filters: { type: "revoked" } }),
    // Their consent row and their STOP (a suppression) are fingerprints; a foreign leadId filter is NOT_FOUND (consent.int.test.ts).
    tenancy: { kind: "org-scoped-result", input: {} },
  },
  "consent.record": {
    minRole: "manager",
    input: () => ({ phone: "(512) 555-0184", type: "verbal", evidence: "role check" }),
    tenancy: { kind: "foreign-id", input: (f) => ({ phone: "+15125550185", type: "verbal", evidence: "tenancy check", leadId: f.leadId }) },
  },
  "consent.settings": { minRole: "user", tenancy: { kind: "org-scoped-result" } },
  "consent.updateSettings": {
    minRole: "admin",
    input: () => ({ requireRecordedConsent: false }),
    tenancy: { kind: "org-scoped-result", input: { requireRecordedConsent: true } },
  },
  "dnc.list": {
    minRole: "manager",
    input: () => ({ filters: { state: "all" } }),
    tenancy: { kind: "foreign-id", input: (f) => ({ filters: { state: "all" }, cursor: f.dncEntryId }) },
  },
  "dnc.add": {
    minRole: "manager",
    input: () => ({ phone: "(512) 555-0181", reason: "role check" }),
    tenancy: { kind: "org-scoped-result", input: (f: ForeignOrg) => ({ phone: f.dncPhone, reason: "tenancy check" }) },
  },
  "dnc.remove": {
    minRole: "admin",
    input: () => ({ id: "missing", reason: "role check" }),
    tenancy: { kind: "foreign-id", input: (f) => ({ id: f.dncEntryId, reason: "tenancy check" }) },
  },
  "dnc.import": {
    minRole: "manager",
    input: () => ({ fileName: "role-check.csv", csv: "phone\n+15125550183\n", source: "role check" }),
    tenancy: { kind: "org-scoped-result", input: (f: ForeignOrg) => ({ fileName: "tenancy.csv", csv: `phone\n${f.dncPhone}\nnot a phone\n`, source: "tenancy check" }) },
  },
  "dnc.check": {
    minRole: "manager",
    input: () => ({ phone: "(512) 555-0182" }),
    tenancy: { kind: "org-scoped-result", input: (f: ForeignOrg) => ({ phone: f.dncPhone }) },
  },
  "dnc.registry": { minRole: "manager", tenancy: { kind: "org-scoped-result" } },
  "dnc.removeAreaCode": {
    minRole: "admin",
    input: () => ({ areaCode: 999, reason: "role check" }),
    // Their extract is for 512; we have none: NOT_FOUND, and theirs stays.
    tenancy: { kind: "foreign-id", input: () => ({ areaCode: 512, reason: "tenancy check" }) },
  },
  "complianceRules.get": { minRole: "manager", tenancy: { kind: "org-scoped-result" } },
  "complianceRules.update": {
    minRole: "admin",
    input: () => ({
      orgWindow: { start: "08:00", end: "21:00" },
      frequencyCap: 3,
      rules: [{ state: null, name: "Federal", weekdays: [{ start: "08:00", end: "21:00" }], saturday: [{ start: "08:00", end: "21:00" }], sunday: [{ start: "08:00", end: "21:00" }], frequencyCap: null, source: "47 CFR 64.1200(c)(1)" }],
    }),
    tenancy: {
      kind: "org-scoped-result",
      input: {
        orgWindow: { start: "08:00", end: "21:00" },
        frequencyCap: 3,
        rules: [{ state: null, name: "Federal", weekdays: [{ start: "08:00", end: "21:00" }], saturday: [{ start: "08:00", end: "21:00" }], sunday: [{ start: "08:00", end: "21:00" }], frequencyCap: null, source: "47 CFR 64.1200(c)(1)" }],
      },
    },
  },
  "complianceRules.preview": {
    minRole: "manager",
    input: () => ({ propertyZip: "33101", at: new Date("2026-12-01T17:00:00Z") }),
    // Their do-not-contact entry for this number must not block our answer.
    tenancy: { kind: "org-scoped-result", input: (f: ForeignOrg) => ({ phone: f.dncPhone, at: new Date("2026-12-01T17:00:00Z") }) },
  },
  "sendDecisions.list": {
    minRole: "manager",
    input: () => ({ filters: { outcome: "blocked" } }),
    tenancy: { kind: "foreign-id", input: (f) => ({ filters: {}, cursor: f.sendDecisionId }) },
  },
  "sendDecisions.preflight": {
    minRole: "manager",
    input: () => ({ recipients: [{ phone: "+15125550142" }] }),
    // Their opt-out, their do-not-contact entry and their lead must not change our answers or show in them.
    tenancy: {
      kind: "org-scoped-result",
      input: (f: ForeignOrg) => ({ recipients: [{ phone: f.suppressedPhone }, { phone: f.dncPhone }, { phone: f.messagePhone, leadId: f.leadId }] }),
    },
  },
  "search.context": { minRole: "manager", tenancy: { kind: "org-scoped-result" } },
  "search.run": {
    minRole: "manager",
    input: () => ({ location: { zips: ["73301"] } }),
    tenancy: { kind: "org-scoped-result", input: { location: { zips: ["94105"] } } },
  },
  "search.resolvePlace": {
    minRole: "manager",
    input: () => ({ location: { city: "Austin", state: "TX" } }),
    // Resolutions are shared across organizations by design (a place id is not licensed data); the
    // other organization resolved this city first: we get the place, their spend and data stay theirs.
    tenancy: { kind: "org-scoped-result", input: { location: { city: "Austin", state: "TX" } } },
  },
  "search.addToLeads": {
    minRole: "manager",
    input: () => ({ query: { location: { zips: ["73301"] } } }),
    tenancy: { kind: "foreign-id", input: (f) => ({ query: f.searchQuery }) },
  },
  "search.inLeads": {
    minRole: "manager",
    input: () => ({ query: { location: { zips: ["73301"] } } }),
    tenancy: { kind: "foreign-id", input: (f) => ({ query: f.searchQuery }) },
  },
  "search.history": { minRole: "manager", input: () => ({}), tenancy: { kind: "org-scoped-result", input: {} } },
  "search.saved": { minRole: "manager", tenancy: { kind: "org-scoped-result" } },
  // Saving their search of the same ZIP makes a search of ours; theirs is untouched (snapshot).
  "search.save": {
    minRole: "manager",
    input: () => ({ name: "Role check", query: { location: { zips: ["73301"] } } }),
    tenancy: { kind: "org-scoped-result", input: { name: "Their hot ZIP", query: { location: { zips: ["94105"] } } } },
  },
  "search.deleteSaved": { minRole: "manager", input: () => ({ id: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.savedSearchId }) } },
  // Their search is in their cache, not ours: nothing to add from (the cache is keyed by organization).
  "search.addAll": {
    minRole: "manager",
    input: () => ({ query: { location: { zips: ["73301"] } } }),
    tenancy: { kind: "foreign-id", input: (f) => ({ query: f.searchQuery }) },
  },
  "search.addAllJob": { minRole: "manager", input: () => ({ id: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.addAllJobId }) } },
  "leads.list": {
    minRole: "user",
    input: () => ({}),
    tenancy: { kind: "foreign-id", input: (f) => ({ cursor: f.leadId }) },
  },
  "leads.counts": { minRole: "user", input: () => ({}), tenancy: { kind: "org-scoped-result", input: {} } },
  "leads.mapPoints": { minRole: "user", input: () => ({}), tenancy: { kind: "org-scoped-result", input: {} } },
  "leads.get": { minRole: "user", input: () => ({ id: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.leadId }) } },
  "leads.create": {
    minRole: "manager",
    input: () => ({ addressLine1: "1 Role Check Rd", city: "Austin", state: "TX", zip: "78701" }),
    // Same address and owner as their lead: ours must be created, not matched to theirs.
    tenancy: { kind: "org-scoped-result", input: (f: ForeignOrg) => ({ ...f.leadAddress, ownerName: f.leadAddress.ownerName ?? undefined }) },
  },
  "leads.addPhone": {
    minRole: "user",
    input: () => ({ leadId: "missing", number: "(512) 555-0123" }),
    tenancy: { kind: "foreign-id", input: (f) => ({ leadId: f.leadId, number: "(512) 555-0123" }) },
  },
  "leads.markPhone": {
    minRole: "user",
    input: () => ({ phoneId: "missing", mark: "verified" }),
    tenancy: { kind: "foreign-id", input: (f) => ({ phoneId: f.leadPhoneId, mark: "wrong_number" }) },
  },
  "leads.update": {
    minRole: "user",
    input: () => ({ id: "missing", patch: { status: "contacted" } }),
    tenancy: { kind: "foreign-id", input: (f) => ({ id: f.leadId, patch: { status: "dead" } }) },
  },
  "leads.bulk": {
    minRole: "user",
    input: () => ({ target: { ids: ["missing"] }, action: { kind: "status", status: "contacted" } }),
    tenancy: { kind: "foreign-id", input: (f) => ({ target: { ids: [f.leadId] }, action: { kind: "status", status: "dead" } }) },
  },
  "leads.setOutcome": {
    minRole: "user",
    input: () => ({ id: "missing", outcome: "lost", reason: "role check" }),
    tenancy: { kind: "foreign-id", input: (f) => ({ id: f.leadId, outcome: "won", amountCents: 100, date: "2026-01-01" }) },
  },
  "leads.setTags": {
    minRole: "user",
    input: () => ({ leadId: "missing", tagIds: [] }),
    tenancy: { kind: "foreign-id", input: (f) => ({ leadId: f.leadId, tagIds: [] }) },
  },
  "leads.assignees": { minRole: "user", tenancy: { kind: "org-scoped-result" } },
  "leads.aiSummaryAvailable": { minRole: "user", tenancy: { kind: "exempt", reason: "a configuration flag, no organization data" } },
  "leads.summarize": {
    minRole: "user",
    input: () => ({ id: "missing" }),
    tenancy: { kind: "foreign-id", input: (f) => ({ id: f.leadId }) },
  },
  "notes.add": {
    minRole: "user",
    input: () => ({ leadId: "missing", body: "role check" }),
    tenancy: { kind: "foreign-id", input: (f) => ({ leadId: f.leadId, body: "sneaky" }) },
  },
  "notes.update": {
    minRole: "user",
    input: () => ({ id: "missing", body: "role check" }),
    tenancy: { kind: "foreign-id", input: (f) => ({ id: f.noteId, body: "sneaky" }) },
  },
  "notes.delete": { minRole: "user", input: () => ({ id: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.noteId }) } },
  "tags.list": { minRole: "user", tenancy: { kind: "org-scoped-result" } },
  "tags.create": {
    minRole: "user",
    input: () => ({ name: `role-${Math.random().toString(36).slice(2, 8)}` }),
    tenancy: { kind: "org-scoped-result", input: (f: ForeignOrg) => ({ name: f.tagName }) },
  },
  "tags.update": {
    minRole: "manager",
    input: () => ({ id: "missing", name: "x" }),
    tenancy: { kind: "foreign-id", input: (f) => ({ id: f.tagId, name: "renamed" }) },
  },
  "tags.delete": { minRole: "manager", input: () => ({ id: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.tagId }) } },
  // Follow-ups on leads (issue 14 item 11): any member; another organization's lead or task is NOT_FOUND (tasks.int.test.ts).
  "tasks.forLead": { minRole: "user", input: () => ({ leadId: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ leadId: f.leadId }) } },
  "tasks.mine": { minRole: "user", tenancy: { kind: "org-scoped-result" } },
  "tasks.myCount": { minRole: "user", tenancy: { kind: "org-scoped-result" } },
  "tasks.create": {
    minRole: "user",
    input: () => ({ leadId: "missing", note: "role check", dueOn: "2026-12-01" }),
    tenancy: { kind: "foreign-id", input: (f) => ({ leadId: f.leadId, note: "tenancy check", dueOn: "2026-12-01" }) },
  },
  "tasks.update": { minRole: "user", input: () => ({ id: "missing", note: "role check" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.taskId, note: "tenancy check" }) } },
  "tasks.setDone": { minRole: "user", input: () => ({ id: "missing", done: true }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.taskId, done: true }) } },
  "tasks.delete": { minRole: "user", input: () => ({ id: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.taskId }) } },
  "pipeline.summary": { minRole: "user", input: () => ({}), tenancy: { kind: "org-scoped-result", input: {} } },
  "dashboard.home": { minRole: "user", tenancy: { kind: "org-scoped-result" } },
  "imports.preview": {
    minRole: "manager",
    input: () => ({ uploadId: "missing" }),
    tenancy: { kind: "foreign-id", input: (f) => ({ uploadId: f.importUploadId }) },
  },
  "imports.create": {
    minRole: "manager",
    input: () => ({ uploadId: "missing", mapping: SMALL_CSV_MAPPING }),
    tenancy: { kind: "foreign-id", input: (f) => ({ uploadId: f.importUploadId, mapping: SMALL_CSV_MAPPING }) },
  },
  "imports.get": {
    minRole: "manager",
    input: () => ({ id: "does-not-matter" }),
    tenancy: { kind: "foreign-id", input: (f) => ({ id: f.importJobId }) },
  },
  "imports.list": { minRole: "manager", tenancy: { kind: "org-scoped-result" } },
  "imports.cancel": {
    minRole: "manager",
    input: () => ({ id: "does-not-matter" }),
    tenancy: { kind: "foreign-id", input: (f) => ({ id: f.importJobId }) },
  },
  "skipTrace.estimate": { minRole: "manager", input: () => ({ leadId: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ leadId: f.leadId }) } },
  "skipTrace.run": { minRole: "manager", input: () => ({ leadId: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ leadId: f.leadId, force: true }) } },
  "skipTrace.history": { minRole: "user", input: () => ({ leadId: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ leadId: f.leadId }) } },
  "skipTrace.startBulk": {
    minRole: "manager",
    input: () => ({ target: { ids: ["missing"] } }),
    tenancy: { kind: "foreign-id", input: (f) => ({ target: { ids: [f.leadId] } }) },
  },
  "skipTrace.job": { minRole: "manager", input: () => ({ id: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.skipTraceJobId }) } },
  "skipTrace.validatePhones": { minRole: "manager", input: () => ({ leadId: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ leadId: f.leadId }) } },
  "skipTrace.jobs": { minRole: "manager", tenancy: { kind: "org-scoped-result" } },
  "skipTrace.cancel": { minRole: "manager", input: () => ({ id: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.skipTraceJobId }) } },
  // ⌘K: their lead's street (a leak shows their lead's id); phone and owner searches in global-search.int.test.ts.
  "globalSearch.query": { minRole: "user", input: () => ({ q: "Main" }), tenancy: { kind: "org-scoped-result", input: (f: ForeignOrg) => ({ q: f.leadAddress.addressLine1 }) } },
  "apiKeys.list": { minRole: "admin", tenancy: { kind: "org-scoped-result" } },
  "apiKeys.create": {
    minRole: "admin",
    input: () => ({ name: "role check", scopes: ["leads:read"] }),
    tenancy: { kind: "org-scoped-result", input: { name: "tenancy check", scopes: ["leads:read", "leads:write"], expiresInDays: 30 } },
  },
  "apiKeys.revoke": {
    minRole: "admin",
    input: () => ({ id: "missing" }),
    tenancy: { kind: "foreign-id", input: (f) => ({ id: f.apiKeyId }) },
  },
  "webhooks.list": { minRole: "admin", tenancy: { kind: "org-scoped-result" } },
  "webhooks.create": {
    minRole: "admin",
    input: () => ({ url: "https://hooks.example.com/role-check", events: ["lead.created"] }),
    tenancy: { kind: "org-scoped-result", input: { url: "https://hooks.example.com/tenancy-check", events: ["lead.created", "campaign.finished"] } },
  },
  "webhooks.update": {
    minRole: "admin",
    input: () => ({ id: "missing", enabled: false }),
    tenancy: { kind: "foreign-id", input: (f) => ({ id: f.webhookEndpointId, url: "https://attacker.example.com/hook", enabled: true }) },
  },
  "webhooks.delete": { minRole: "admin", input: () => ({ id: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.webhookEndpointId }) } },
  "webhooks.rotateSecret": { minRole: "admin", input: () => ({ id: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.webhookEndpointId }) } },
  "webhooks.deliveries": { minRole: "admin", input: () => ({}), tenancy: { kind: "foreign-id", input: (f) => ({ endpointId: f.webhookEndpointId }) } },
  "webhooks.replay": { minRole: "admin", input: () => ({ id: "msg_missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.webhookDeliveryId }) } },
  "audit.list": {
    minRole: "admin",
    input: () => ({}),
    tenancy: { kind: "foreign-id", input: (f) => ({ cursor: f.auditEntryId }) },
  },
  "audit.facets": { minRole: "admin", tenancy: { kind: "org-scoped-result" } },
  "audit.emails": { minRole: "admin", input: () => ({}), tenancy: { kind: "org-scoped-result", input: {} } },
  "messaging.leadThread": { minRole: "user", input: () => ({ leadId: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ leadId: f.leadId }) } },
  "messaging.sendToLead": {
    minRole: "user",
    input: () => ({ leadId: "missing", phone: "+15125550123", body: "Hello" }),
    tenancy: { kind: "foreign-id", input: (f) => ({ leadId: f.leadId, phone: f.messagePhone, body: "Hello" }) },
  },
  "messaging.simulateReply": {
    minRole: "user",
    input: () => ({ leadId: "missing", phone: "+15125550123", body: "STOP" }),
    tenancy: { kind: "foreign-id", input: (f) => ({ leadId: f.leadId, phone: f.messagePhone, body: "STOP" }) },
  },
  "messaging.reviewQueue": { minRole: "manager", input: () => ({}), tenancy: { kind: "org-scoped-result", input: {} } },
  "messaging.resolveReview": {
    minRole: "manager",
    input: () => ({ id: "missing", resolution: "dismissed" }),
    tenancy: { kind: "foreign-id", input: (f) => ({ id: f.replyReviewId, resolution: "suppressed" }) },
  },
  "inbox.threads": { minRole: "user", input: () => ({}), tenancy: { kind: "org-scoped-result", input: { q: "their secret reply", filters: {} } } },
  "inbox.thread": { minRole: "user", input: () => ({ id: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.conversationId }) } },
  "inbox.unreadCount": { minRole: "user", tenancy: { kind: "org-scoped-result" } },
  "inbox.assistant": { minRole: "user", tenancy: { kind: "exempt", reason: "answers whether this deployment has an OpenAI key; reads no organization's data" } },
  "inbox.suggestReply": {
    minRole: "user",
    input: () => ({ id: "missing" }),
    // Without OPENAI_API_KEY (tests) the feature is off, which it says before reading anything; the
    // foreign-id check runs with a key in inbox/reply-assistant.int.test.ts.
    tenancy: { kind: "exempt", reason: "off without OPENAI_API_KEY; another organization's thread is NOT_FOUND in inbox/reply-assistant.int.test.ts" },
  },
  "realtime.events": {
    minRole: "user",
    input: () => ({}),
    stream: true,
    tenancy: {
      kind: "exempt",
      reason: "a stream of the caller's organization's events (organization from the session, no ids taken but its own last event id): realtime/realtime.int.test.ts proves another organization's subscriber hears nothing and a replay stays in the organization",
    },
  },
  "inbox.markRead": { minRole: "user", input: () => ({ id: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.conversationId }) } },
  "inbox.markUnread": { minRole: "user", input: () => ({ id: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.conversationId }) } },
  "inbox.assign": { minRole: "user", input: () => ({ id: "missing", userId: null }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.conversationId, userId: null }) } },
  "inbox.archive": { minRole: "user", input: () => ({ id: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.conversationId }) } },
  "inbox.unarchive": { minRole: "user", input: () => ({ id: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.conversationId }) } },
  "inbox.setLeadStatus": {
    minRole: "user",
    input: () => ({ id: "missing", status: "interested" }),
    tenancy: { kind: "foreign-id", input: (f) => ({ id: f.conversationId, status: "dead" }) },
  },
  "inbox.replyCheck": { minRole: "user", input: () => ({ id: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.conversationId }) } },
  "inbox.reply": { minRole: "user", input: () => ({ id: "missing", body: "Hello" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.conversationId, body: "Hello" }) } },
  "inbox.scheduleReply": { minRole: "user", input: () => ({ id: "missing", body: "Hello" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.conversationId, body: "Hello" }) } },
  "inbox.cancelScheduled": {
    minRole: "user",
    input: () => ({ id: "missing", scheduledReplyId: "missing" }),
    tenancy: { kind: "foreign-id", input: (f) => ({ id: f.conversationId, scheduledReplyId: "missing" }) },
  },
  "savedFilters.list": { minRole: "user", tenancy: { kind: "org-scoped-result" } },
  "savedFilters.counts": { minRole: "user", tenancy: { kind: "org-scoped-result" } },
  "preferences.leadColumns": { minRole: "user", tenancy: { kind: "org-scoped-result" } },
  "preferences.setLeadColumns": { minRole: "user", input: () => ({ columns: ["phone"] }), tenancy: { kind: "org-scoped-result", input: { columns: ["phone", "equity"] } } },
  "savedFilters.get": { minRole: "user", input: () => ({ id: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.savedFilterId }) } },
  "savedFilters.save": {
    minRole: "user",
    input: () => ({ name: "Role check", filters: { status: ["new"] } }),
    tenancy: { kind: "org-scoped-result", input: { name: "Their hot list", filters: { status: ["new"] } } },
  },
  "savedReplies.list": { minRole: "user", tenancy: { kind: "org-scoped-result" } },
  "savedReplies.save": {
    minRole: "manager",
    input: () => ({ name: "Role check reply", body: "Hi {{owner_first_name|there}}" }),
    tenancy: { kind: "foreign-id", input: (f) => ({ id: f.savedReplyId, name: "Hijacked", body: "Hijacked body" }) },
  },
  "savedReplies.delete": { minRole: "manager", input: () => ({ id: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.savedReplyId }) } },
  "savedFilters.delete": { minRole: "user", input: () => ({ id: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.savedFilterId }) } },
  "notifications.list": { minRole: "user", input: () => ({}), tenancy: { kind: "org-scoped-result", input: {} } },
  "notifications.unreadCount": { minRole: "user", tenancy: { kind: "org-scoped-result" } },
  "notifications.markRead": { minRole: "user", input: () => ({ ids: ["missing"] }), tenancy: { kind: "foreign-id", input: (f) => ({ ids: [f.notificationId] }) } },
  "notifications.markAllRead": { minRole: "user", tenancy: { kind: "org-scoped-result" } },
  "notifications.preferences": { minRole: "user", tenancy: { kind: "org-scoped-result" } },
  "notifications.updatePreferences": {
    minRole: "user",
    input: () => ({ kinds: [{ kind: "new_reply", inApp: true }] }),
    tenancy: { kind: "org-scoped-result", input: { kinds: [{ kind: "cap_reached", inApp: false }] } },
  },
  "campaigns.list": { minRole: "user", tenancy: { kind: "org-scoped-result" } },
  "campaigns.get": { minRole: "user", input: () => ({ id: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.campaignId }) } },
  "campaigns.stats": { minRole: "user", input: () => ({ id: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.campaignId }) } },
  "campaigns.recipients": { minRole: "user", input: () => ({ id: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.campaignId }) } },
  "campaigns.exclusions": { minRole: "user", input: () => ({ id: "missing", reason: "suppressed" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.campaignId, reason: "suppressed" }) } },
  "campaigns.preview": {
    minRole: "manager",
    input: () => ({ template: "Hi {{owner_first_name}}", audience: { kind: "selection", leadIds: ["missing"] } }),
    // A foreign lead in a selection is simply not in our audience; a foreign saved filter is NOT_FOUND.
    tenancy: { kind: "foreign-id", input: (f) => ({ template: "Hi {{owner_first_name}}", audience: { kind: "filter", savedFilterId: f.savedFilterId } }) },
  },
  "campaigns.create": {
    minRole: "manager",
    input: () => ({ name: "Role check", template: "Hi - {{brand}}. Reply STOP to opt out.", senderIdentityId: null, audience: { kind: "selection", leadIds: ["missing"] } }),
    // Their sender or saved filter is refused as not ours (400, nothing created).
    tenancy: { kind: "org-scoped-result", input: { name: "Tenancy", template: "Hi", senderIdentityId: null, audience: { kind: "selection", leadIds: ["missing"] } } },
  },
  "campaigns.update": { minRole: "manager", input: () => ({ id: "missing", name: "x" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.campaignId, name: "taken over" }) } },
  "campaigns.delete": { minRole: "manager", input: () => ({ id: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.campaignId }) } },
  "campaigns.preflight": { minRole: "manager", input: () => ({ id: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.campaignId }) } },
  "campaigns.launch": { minRole: "manager", input: () => ({ id: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.campaignId }) } },
  "campaigns.pause": { minRole: "manager", input: () => ({ id: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.campaignId }) } },
  "campaigns.resume": { minRole: "manager", input: () => ({ id: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.campaignId }) } },
  "campaigns.cancel": { minRole: "manager", input: () => ({ id: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.campaignId }) } },
  "campaigns.testSend": { minRole: "manager", input: () => ({ id: "missing", phone: "+15125550170" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.campaignId, phone: "+15125550171" }) } },
  "automation.options": { minRole: "user", tenancy: { kind: "org-scoped-result" } },
  "automation.rules": { minRole: "user", tenancy: { kind: "org-scoped-result" } },
  "automation.ruleFirings": { minRole: "user", input: () => ({ id: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.autoResponderRuleId }) } },
  "automation.testRules": { minRole: "user", input: () => ({ body: "yes", campaignId: null }), tenancy: { kind: "org-scoped-result", input: (f: ForeignOrg) => ({ body: "yes I am interested", campaignId: f.campaignId }) } },
  "automation.createRule": {
    minRole: "manager",
    input: () => ({ ...AUTO_RULE, campaignId: null }),
    tenancy: { kind: "foreign-id", input: (f) => ({ ...AUTO_RULE, campaignId: f.campaignId }) },
  },
  "automation.updateRule": { minRole: "manager", input: () => ({ ...AUTO_RULE, campaignId: null, id: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ ...AUTO_RULE, campaignId: null, id: f.autoResponderRuleId }) } },
  "automation.setRuleEnabled": { minRole: "manager", input: () => ({ id: "missing", enabled: false }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.autoResponderRuleId, enabled: false }) } },
  "automation.moveRule": { minRole: "manager", input: () => ({ id: "missing", direction: "up" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.autoResponderRuleId, direction: "down" }) } },
  "automation.deleteRule": { minRole: "manager", input: () => ({ id: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.autoResponderRuleId }) } },
  "automation.sequences": { minRole: "user", tenancy: { kind: "org-scoped-result" } },
  "automation.createSequence": {
    minRole: "manager",
    input: () => ({ ...SEQUENCE, campaignId: null }),
    tenancy: { kind: "foreign-id", input: (f) => ({ ...SEQUENCE, campaignId: f.campaignId }) },
  },
  "automation.updateSequence": { minRole: "manager", input: () => ({ ...SEQUENCE, campaignId: null, id: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ ...SEQUENCE, campaignId: null, id: f.sequenceId }) } },
  "automation.setSequenceEnabled": { minRole: "manager", input: () => ({ id: "missing", enabled: false }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.sequenceId, enabled: false }) } },
  "automation.deleteSequence": { minRole: "manager", input: () => ({ id: "missing" }), tenancy: { kind: "foreign-id", input: (f) => ({ id: f.sequenceId }) } },
  "automation.startSequence": {
    minRole: "manager",
    input: () => ({ id: "missing", leadIds: ["missing"], senderIdentityId: null }),
    tenancy: { kind: "foreign-id", input: (f) => ({ id: f.sequenceId, leadIds: [f.leadId], senderIdentityId: f.senderIdentityId }) },
  },
  "smsSettings.get": { minRole: "manager", tenancy: { kind: "org-scoped-result" } },
  "smsSettings.addSender": {
    minRole: "admin",
    input: () => ({ value: "+15125550777" }),
    tenancy: { kind: "org-scoped-result", input: { value: "+16465550142" } },
  },
  "smsSettings.removeSender": {
    minRole: "admin",
    input: () => ({ id: "missing" }),
    tenancy: { kind: "foreign-id", input: (f) => ({ id: f.senderIdentityId }) },
  },
  "smsSettings.updateSender": {
    minRole: "admin",
    input: () => ({ id: "missing", messagesPerSecond: 5 }),
    tenancy: { kind: "foreign-id", input: (f) => ({ id: f.senderIdentityId, messagesPerSecond: 50 }) },
  },
  "smsSettings.updateIdentity": {
    minRole: "admin",
    input: () => ({ brandName: "Role Check Homes", helpContact: null }),
    tenancy: { kind: "org-scoped-result", input: { brandName: "Our Brand", helpContact: "help@example.com" } },
  },
  "smsSettings.updateTexts": { minRole: "admin", input: () => ({ texts: null }), tenancy: { kind: "org-scoped-result", input: { texts: null } } },
  "smsSettings.updateRules": { minRole: "admin", input: () => ({ ruleSet: null }), tenancy: { kind: "org-scoped-result", input: { ruleSet: null } } },
  "smsSettings.updateReplyIntent": {
    minRole: "admin",
    input: () => ({ mode: "suggest", ruleSet: null }),
    tenancy: { kind: "org-scoped-result", input: { mode: "apply", ruleSet: null } },
  },
  // Figures of our organization only (analytics.int.test.ts compares B's to an oracle of B's rows).
  "analytics.overview": {
    minRole: "manager",
    input: () => ({ from: "2026-11-01", to: "2026-11-30" }),
    tenancy: { kind: "org-scoped-result", input: { from: "2026-11-01", to: "2026-11-30" } },
  },
  "analytics.usage": { minRole: "manager", tenancy: { kind: "org-scoped-result" } },
  "smsSettings.tryRules": {
    minRole: "manager",
    input: () => ({ body: "please stop texting me" }),
    tenancy: { kind: "org-scoped-result", input: { body: "HELP" } },
  },
};
