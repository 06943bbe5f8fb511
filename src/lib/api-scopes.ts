/**
 * What an API key may do (issue 13 item 3): one scope per capability and access, e.g.
 * "leads:read". Shared by the server (the check on every REST call) and the settings page.
 */
export const API_CAPABILITIES = {
  leads: { label: "Leads", access: ["read", "write"], help: "list, read, create and update leads" },
  tags: { label: "Tags", access: ["read", "write"], help: "list and create tags, set a lead's tags" },
  notes: { label: "Notes", access: ["write"], help: "add notes to leads (a lead's notes are read with the lead)" },
  campaigns: { label: "Campaigns", access: ["read"], help: "list campaigns and read one" },
  suppressions: { label: "Opt-outs", access: ["write"], help: "add a number to the opt-out list" },
} as const satisfies Record<string, { label: string; access: readonly ("read" | "write")[]; help: string }>;

export type ApiCapability = keyof typeof API_CAPABILITIES;
export type ApiAccess = "read" | "write";
export type ApiScope = `${ApiCapability}:${ApiAccess}`;

export const API_CAPABILITY_NAMES = Object.keys(API_CAPABILITIES) as ApiCapability[];

/** Every scope a key can hold, in display order. */
export const API_SCOPES: ApiScope[] = API_CAPABILITY_NAMES.flatMap((capability) =>
  API_CAPABILITIES[capability].access.map((access) => `${capability}:${access}` as ApiScope),
);

export function isApiScope(value: string): value is ApiScope {
  return (API_SCOPES as string[]).includes(value);
}

/** "leads:read, tags:write" for a message. */
export function describeScopes(scopes: readonly string[]): string {
  return scopes.length === 0 ? "no scopes" : scopes.join(", ");
}

/** Keys look like `lf_<8 characters>_<43 characters>`; the first part is the visible prefix. */
export const API_KEY_PREFIX = "lf_";
const KEY_SHAPE = /^lf_([A-Za-z0-9]{8})_([A-Za-z0-9_-]{43})$/;

/** The visible prefix of a well-formed key ("lf_ab12cd34"), or null for anything else. */
export function apiKeyPrefixOf(key: string): string | null {
  const match = KEY_SHAPE.exec(key);
  return match ? `${API_KEY_PREFIX}${match[1]}` : null;
}
