import { formatCount } from "@/components/shared/format";
import { canonicalTemperature } from "@/lib/scoring";
import type { RouterInputs } from "@/trpc/react";
import { LEAD_SOURCES, LEAD_STATUSES, TEMPERATURES, type LeadSource, type LeadStatus, type Temperature } from "./labels";

/**
 * The lead list's filters and sort live in the URL so a view can be bookmarked, shared and
 * reloaded. Pure functions: URL ⇄ state ⇄ procedure input. Only what differs from the defaults
 * is written; anything unknown in a hand-edited URL is ignored.
 */
export type LeadFiltersInput = NonNullable<RouterInputs["leads"]["list"]["filters"]>;
export type LeadSortInput = NonNullable<RouterInputs["leads"]["list"]["sort"]>;
export type SortField = NonNullable<LeadSortInput["field"]>;
export type SortDirection = NonNullable<LeadSortInput["direction"]>;
export type YesNo = "" | "yes" | "no";
export type ArchivedMode = "exclude" | "include" | "only";

export type LeadListState = {
  status: LeadStatus[];
  temperature: Temperature[];
  /** A tag id, or "" for any. */
  tag: string;
  /** Any phone number at all. */
  hasPhone: YesNo;
  /** A phone that can take a text. */
  textable: YesNo;
  skipTraced: YesNo;
  zip: string;
  source: LeadSource[];
  /** A user id, "unassigned", or "" for anyone. */
  assignee: string;
  scoreMin: string;
  scoreMax: string;
  q: string;
  archived: ArchivedMode;
  sort: SortField;
  dir: SortDirection;
};

export const SORT_FIELDS = ["createdAt", "updatedAt", "score", "ownerName", "addressLine1", "status"] as const satisfies readonly SortField[];

export const EMPTY_LIST_STATE: LeadListState = {
  status: [],
  temperature: [],
  tag: "",
  hasPhone: "",
  textable: "",
  skipTraced: "",
  zip: "",
  source: [],
  assignee: "",
  scoreMin: "",
  scoreMax: "",
  q: "",
  archived: "exclude",
  sort: "createdAt",
  dir: "desc",
};

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const ZIP = /^\d{5}$/;

/** Repeated keys (`status=new&status=contacted`), tolerating commas; known values only, in canonical order. */
function readList<T extends string>(params: URLSearchParams, key: string, allowed: readonly T[], canonical: (value: string) => string = (value) => value): T[] {
  const values = new Set(params.getAll(key).flatMap((value) => value.split(",")).map((value) => canonical(value.trim())));
  return allowed.filter((value) => values.has(value));
}

function readOne<T extends string>(params: URLSearchParams, key: string, allowed: readonly T[], fallback: T): T {
  const value = params.get(key);
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

export function listStateFromParams(params: URLSearchParams): LeadListState {
  const tag = params.get("tag") ?? "";
  const assignee = params.get("assignee") ?? "";
  return {
    status: readList(params, "status", LEAD_STATUSES),
    temperature: readList(params, "temp", TEMPERATURES, canonicalTemperature),
    tag: ID.test(tag) ? tag : "",
    hasPhone: readOne<YesNo>(params, "phone", ["yes", "no"], ""),
    textable: readOne<YesNo>(params, "textable", ["yes", "no"], ""),
    skipTraced: readOne<YesNo>(params, "traced", ["yes", "no"], ""),
    zip: (params.get("zip") ?? "").trim().slice(0, 10),
    source: readList(params, "source", LEAD_SOURCES),
    assignee: ID.test(assignee) ? assignee : "",
    scoreMin: (params.get("scoreMin") ?? "").trim().slice(0, 3),
    scoreMax: (params.get("scoreMax") ?? "").trim().slice(0, 3),
    q: (params.get("q") ?? "").slice(0, 200),
    archived: readOne<ArchivedMode>(params, "archived", ["exclude", "include", "only"], "exclude"),
    sort: readOne<SortField>(params, "sort", SORT_FIELDS, "createdAt"),
    dir: readOne<SortDirection>(params, "dir", ["asc", "desc"], "desc"),
  };
}

export function paramsFromListState(state: LeadListState): URLSearchParams {
  const params = new URLSearchParams();
  const q = state.q.trim();
  if (q) params.set("q", q);
  for (const status of LEAD_STATUSES.filter((s) => state.status.includes(s))) params.append("status", status);
  for (const temperature of TEMPERATURES.filter((t) => state.temperature.includes(t))) params.append("temp", temperature);
  if (state.tag) params.set("tag", state.tag);
  if (state.hasPhone) params.set("phone", state.hasPhone);
  if (state.textable) params.set("textable", state.textable);
  if (state.skipTraced) params.set("traced", state.skipTraced);
  if (state.zip.trim()) params.set("zip", state.zip.trim());
  for (const source of LEAD_SOURCES.filter((s) => state.source.includes(s))) params.append("source", source);
  if (state.assignee) params.set("assignee", state.assignee);
  if (state.scoreMin.trim()) params.set("scoreMin", state.scoreMin.trim());
  if (state.scoreMax.trim()) params.set("scoreMax", state.scoreMax.trim());
  if (state.archived !== "exclude") params.set("archived", state.archived);
  if (state.sort !== EMPTY_LIST_STATE.sort || state.dir !== EMPTY_LIST_STATE.dir) {
    params.set("sort", state.sort);
    params.set("dir", state.dir);
  }
  return params;
}

/** A score bound as the server takes it (a whole number 0–100), or undefined when blank or not one. */
export function parseScore(raw: string): number | undefined {
  const text = raw.trim();
  if (!/^\d{1,3}$/.test(text)) return undefined;
  const value = Number(text);
  return value <= 100 ? value : undefined;
}

export const isValidZip = (zip: string) => zip.trim() === "" || ZIP.test(zip.trim());

/** The `filters` of leads.list / leads.counts / leads.bulk / the CSV export. Invalid inputs are left out. */
export function filtersFromListState(state: LeadListState): LeadFiltersInput {
  const filters: LeadFiltersInput = {};
  if (state.status.length) filters.status = [...state.status];
  if (state.temperature.length) filters.temperature = [...state.temperature];
  if (state.tag) filters.tagIds = [state.tag];
  if (state.hasPhone) filters.hasPhone = state.hasPhone === "yes";
  if (state.textable) filters.textable = state.textable === "yes";
  if (state.skipTraced) filters.skipTraced = state.skipTraced === "yes";
  if (ZIP.test(state.zip.trim())) filters.zip = state.zip.trim();
  if (state.source.length) filters.source = [...state.source];
  if (state.assignee) filters.assigneeId = state.assignee;
  let scoreMin = parseScore(state.scoreMin);
  let scoreMax = parseScore(state.scoreMax);
  if (scoreMin !== undefined && scoreMax !== undefined && scoreMin > scoreMax) [scoreMin, scoreMax] = [scoreMax, scoreMin];
  if (scoreMin !== undefined) filters.scoreMin = scoreMin;
  if (scoreMax !== undefined) filters.scoreMax = scoreMax;
  const q = state.q.trim().slice(0, 200);
  if (q) filters.q = q;
  if (state.archived !== "exclude") filters.archived = state.archived;
  return filters;
}

export function sortFromListState(state: LeadListState): { field: SortField; direction: SortDirection } {
  return { field: state.sort, direction: state.dir };
}

/** True when the list shows every active lead: nothing narrows it. */
export function hasNoFilters(state: LeadListState): boolean {
  return Object.keys(filtersFromListState(state)).length === 0;
}

/** Clears every filter but keeps the sort. */
export function clearFilters(state: LeadListState): LeadListState {
  return { ...EMPTY_LIST_STATE, sort: state.sort, dir: state.dir };
}

const TEXT_FIELDS: SortField[] = ["ownerName", "addressLine1", "status"];

/** Clicking a column header: the same column flips direction; a new one starts A→Z for text, newest/highest first otherwise. */
export function toggleSort(state: LeadListState, field: SortField): LeadListState {
  if (state.sort === field) return { ...state, dir: state.dir === "asc" ? "desc" : "asc" };
  return { ...state, sort: field, dir: TEXT_FIELDS.includes(field) ? "asc" : "desc" };
}

/** Adds or removes one value of a multi-value filter. */
export function toggleValue<T extends string>(values: T[], value: T): T[] {
  return values.includes(value) ? values.filter((v) => v !== value) : [...values, value];
}

/** The streaming CSV export of this filter and sort (managers). */
export function exportHref(filters: LeadFiltersInput, sort: { field: SortField; direction: SortDirection }): string {
  const params = new URLSearchParams({ filters: JSON.stringify(filters), sort: JSON.stringify(sort) });
  return `/api/leads/export?${params.toString()}`;
}

/** How many leads the current status selection matches, from leads.counts (which ignores the status filter). */
export function matchingCount(counts: { total: number; byStatus: Partial<Record<LeadStatus, number>> }, status: LeadStatus[]): number {
  if (status.length === 0) return counts.total;
  return status.reduce((sum, s) => sum + (counts.byStatus[s] ?? 0), 0);
}

/** Leads per page of the list (the server prefetch and the client must agree for hydration). */
export const LIST_PAGE_SIZE = 50;

/** How many of the leads the status selection matches have a phone, and can take a text. */
export function phoneCounts(
  counts: { withPhoneByStatus: Partial<Record<LeadStatus, number>>; textableByStatus: Partial<Record<LeadStatus, number>> },
  status: LeadStatus[],
): { withPhone: number; textable: number } {
  const sum = (byStatus: Partial<Record<LeadStatus, number>>) =>
    (status.length === 0 ? LEAD_STATUSES : status).reduce((total, s) => total + (byStatus[s] ?? 0), 0);
  return { withPhone: sum(counts.withPhoneByStatus), textable: sum(counts.textableByStatus) };
}

/** leads.counts ignores the status filter; leaving it out keeps one cache entry while status chips change. */
export function countFiltersOf(filters: LeadFiltersInput): LeadFiltersInput {
  const { status: _status, ...rest } = filters;
  return rest;
}

/** "3 changed." / "3 changed; 2 already were." / "Nothing changed: all 2 already were." */
export function bulkSummary(matched: number, changed: number): string {
  if (changed === 0) return matched === 1 ? "Nothing changed: the selected lead already was." : `Nothing changed: all ${formatCount(matched)} already were.`;
  if (changed === matched) return `${formatCount(changed)} changed.`;
  return `${formatCount(changed)} changed; ${formatCount(matched - changed)} already ${matched - changed === 1 ? "was" : "were"}.`;
}
