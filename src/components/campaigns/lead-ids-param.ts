/** The most leads a link may carry (a URL stays well under the server's header limit at ~25 characters an id). */
export const MAX_LEAD_IDS_IN_URL = 200;

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** `?leadIds=a,b,c` (from the leads page's "Text these leads") → the distinct well-formed ids, in order. */
export function parseLeadIdsParam(value: string | string[] | undefined | null): string[] {
  const raw = Array.isArray(value) ? value.join(",") : (value ?? "");
  const ids = raw
    .split(",")
    .map((id) => id.trim())
    .filter((id) => ID.test(id));
  return [...new Set(ids)].slice(0, MAX_LEAD_IDS_IN_URL);
}

/** The editor's address for a selection of leads. */
export function newCampaignHref(leadIds: readonly string[]): string {
  return `/campaigns/new?${new URLSearchParams({ leadIds: leadIds.join(",") }).toString()}`;
}
