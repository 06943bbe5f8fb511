import type { TestUser } from "./factories";

/** What another organization owns, for proving its ids are unreachable. */
export type ForeignOrg = {
  orgId: string;
  admin: TestUser;
  member: TestUser;
  inviteId: string;
  auditEntryId: string;
  /** A search the other organization ran (and paid for) today. */
  searchQuery: unknown;
  /** Strings that must never appear in anything our organization is shown. */
  fingerprints: string[];
};

export type MinimumRole = "public" | "signed-in" | "user" | "manager" | "admin";

export type ProcedureCase = {
  minRole: MinimumRole;
  /** Valid input for a call as a member of our organization (role checks run with it). */
  input?: (own: { member: TestUser }) => unknown;
  tenancy:
    | { kind: "foreign-id"; input: (foreign: ForeignOrg) => unknown }
    | { kind: "org-scoped-result"; input?: unknown }
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
  "account.me": { minRole: "user", tenancy: { kind: "org-scoped-result" } },
  "organization.get": { minRole: "user", tenancy: { kind: "org-scoped-result" } },
  "organization.update": {
    minRole: "admin",
    input: () => ({ name: "Renamed by test", timeZone: "America/Chicago" }),
    tenancy: { kind: "org-scoped-result", input: { name: "Our org", timeZone: "America/Chicago" } },
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
  "killSwitches.list": { minRole: "user", tenancy: { kind: "org-scoped-result" } },
  "killSwitches.set": {
    minRole: "admin",
    input: () => ({ kind: "sms", engaged: false, reason: "role check" }),
    tenancy: { kind: "org-scoped-result", input: { kind: "skip_trace", engaged: true, reason: "tenancy check" } },
  },
  "providers.status": { minRole: "admin", tenancy: { kind: "org-scoped-result" } },
  "search.context": { minRole: "manager", tenancy: { kind: "org-scoped-result" } },
  "search.run": {
    minRole: "manager",
    input: () => ({ location: { zips: ["73301"] } }),
    tenancy: { kind: "org-scoped-result", input: { location: { zips: ["94105"] } } },
  },
  "search.addToLeads": {
    minRole: "manager",
    input: () => ({ query: { location: { zips: ["73301"] } } }),
    tenancy: { kind: "foreign-id", input: (f) => ({ query: f.searchQuery }) },
  },
  "search.history": { minRole: "manager", input: () => ({}), tenancy: { kind: "org-scoped-result", input: {} } },
  "audit.list": {
    minRole: "admin",
    input: () => ({}),
    tenancy: { kind: "foreign-id", input: (f) => ({ cursor: f.auditEntryId }) },
  },
};
