import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { containsPattern, parseGlobalSearch, type GlobalSearchTerms } from "@/lib/global-search-query";
import type { ServiceContext } from "../context";
import { sqlPoolOf, type Db } from "../db";
import type { GlobalSearchOutput } from "./schema";

type Reader = Pick<ServiceContext, "db" | "orgId">;

/**
 * A statement planned for this call's values (an unnamed statement, not querySql's named one): a
 * named statement goes to a generic plan after five calls, one that cannot see the pattern — and
 * whether a word is in 10 leads or 12,000 decides between the trigram index and a scan (a generic
 * plan scanned every conversation's candidate leads once per conversation: 940 ms).
 */
async function queryPlannedPerCall<T>(db: Db, query: Prisma.Sql): Promise<T[]> {
  const pool = sqlPoolOf(db);
  if (pool) return (await pool.query({ text: query.text, values: query.values })).rows as T[];
  return db.$queryRaw<T[]>(query);
}

export const GLOBAL_SEARCH_LIMITS = { leads: 6, conversations: 4, campaigns: 4 } as const;
/**
 * At most this many leads matching the words are ranked (the first found): a word in thousands of
 * leads ("main", "smith") stops the scan there instead of fetching and sorting them all (13 ms
 * instead of 360 ms for 12.5k matches of 100k leads on a loaded machine); a text precise enough to
 * be useful matches fewer and all of them are ranked.
 */
export const WORD_CANDIDATES = 300;

type LeadRow = Omit<GlobalSearchOutput["leads"][number], "matchedPhone" | "archived"> & { archivedAt: Date | null; matchedPhone: string | null };
type ConversationRow = {
  id: string;
  phone: string;
  leadId: string | null;
  ownerName: string | null;
  addressLine1: string | null;
  city: string | null;
  state: string | null;
  lastMessagePreview: string | null;
  lastMessageAt: Date | null;
};

const LEAD_COLUMNS = Prisma.sql`l."id", l."addressLine1", l."city", l."state", l."zip", l."ownerName", l."status"::text AS "status",
  l."temperature"::text AS "temperature", l."textable", l."archivedAt"`;

/**
 * Every word in the address or the owner's name, lowercased: one scan per word of the expression
 * index Lead_search_words_trgm (migration 20261130063500_global_search_words), whose expression
 * this must repeat exactly. Words are lowercased by parseGlobalSearch.
 */
const wordsMatch = (alias: string, tokens: string[]) => {
  const text = Prisma.raw(`lower(${alias}."addressLine1" || ' ' || coalesce(${alias}."ownerName", ''))`);
  return Prisma.join(
    tokens.map((token) => Prisma.sql`${text} LIKE ${containsPattern(token)}`),
    " AND ",
  );
};

/** A number condition on an E.164 column: equal to the whole number, or holding the typed digits. */
function phoneMatch(column: Prisma.Sql, terms: GlobalSearchTerms): Prisma.Sql | null {
  if (terms.phone) return Prisma.sql`${column} = ${terms.phone}`;
  if (terms.phoneDigits) return Prisma.sql`${column} LIKE ${containsPattern(terms.phoneDigits)}`;
  return null;
}

/**
 * The leads whose phone matches (the number's own index: exact on (organizationId, number), a
 * partial number on LeadPhone_number_trgm), newest first.
 */
async function leadsByPhone(ctx: Reader, terms: GlobalSearchTerms, limit: number): Promise<LeadRow[]> {
  const match = phoneMatch(Prisma.sql`lp."number"`, terms);
  if (!match) return [];
  return queryPlannedPerCall<LeadRow>(
    ctx.db,
    Prisma.sql`SELECT ${LEAD_COLUMNS}, hit."number" AS "matchedPhone"
      FROM (SELECT DISTINCT ON (lp."leadId") lp."leadId", lp."number" FROM "LeadPhone" lp
              WHERE lp."organizationId" = ${ctx.orgId} AND ${match} ORDER BY lp."leadId", lp."isBest" DESC LIMIT 200) hit
      JOIN "Lead" l ON l."id" = hit."leadId" AND l."organizationId" = ${ctx.orgId}
      ORDER BY (l."archivedAt" IS NULL) DESC, l."updatedAt" DESC, l."id"
      LIMIT ${limit}`,
  );
}

/**
 * The first WORD_CANDIDATES leads whose address or owner holds every word (the leads shown and the
 * threads are looked for among these), always through the trigram index: a bitmap of the leads
 * holding the words, read until WORD_CANDIDATES are found. Left to itself, the planner takes a
 * LIMIT as a reason to scan the table until enough rows turn up — fast for a word in thousands of
 * leads, but for words that are each common and never together ("garcia nguyen") it read all 120k
 * rows (446 ms on a loaded machine, against 26 ms through the index). Sequential and plain index
 * scans are off for this one read-only statement (SET LOCAL in its own transaction).
 */
async function leadsHoldingWords(ctx: Reader, terms: GlobalSearchTerms): Promise<string[]> {
  if (terms.tokens.length === 0) return [];
  const query = Prisma.sql`SELECT sl."id" FROM "Lead" sl WHERE sl."organizationId" = ${ctx.orgId} AND ${wordsMatch("sl", terms.tokens)} LIMIT ${WORD_CANDIDATES}`;
  const pool = sqlPoolOf(ctx.db);
  if (!pool) return (await ctx.db.$queryRaw<{ id: string }[]>(query)).map((row) => row.id);
  const client = await pool.connect();
  try {
    await client.query("BEGIN READ ONLY; SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off");
    const { rows } = await client.query<{ id: string }>({ text: query.text, values: query.values });
    await client.query("COMMIT");
    return rows.map((row) => row.id);
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Those leads, the ones that start with the text first, then the live ones, then the most recently changed. */
async function leadsByWords(ctx: Reader, terms: GlobalSearchTerms, ids: string[], limit: number): Promise<LeadRow[]> {
  if (ids.length === 0) return [];
  const prefix = `${terms.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return queryPlannedPerCall<LeadRow>(
    ctx.db,
    Prisma.sql`SELECT ${LEAD_COLUMNS}, NULL::text AS "matchedPhone"
      FROM "Lead" l
      WHERE l."organizationId" = ${ctx.orgId} AND l."id" = ANY(${ids}::text[])
      ORDER BY (l."addressLine1" ILIKE ${prefix} OR l."ownerName" ILIKE ${prefix}) DESC, (l."archivedAt" IS NULL) DESC, l."updatedAt" DESC, l."id"
      LIMIT ${limit}`,
  );
}

/** Threads with the number, or with one of the leads found by the words. */
async function conversations(ctx: Reader, terms: GlobalSearchTerms, leadIds: string[], limit: number): Promise<ConversationRow[]> {
  const matches: Prisma.Sql[] = [];
  const byPhone = phoneMatch(Prisma.sql`c."phone"`, terms);
  if (byPhone) matches.push(byPhone);
  if (leadIds.length > 0) matches.push(Prisma.sql`c."leadId" = ANY(${leadIds}::text[])`);
  if (matches.length === 0) return [];
  return queryPlannedPerCall<ConversationRow>(
    ctx.db,
    Prisma.sql`SELECT c."id", c."phone", c."leadId", l."ownerName", l."addressLine1", l."city", l."state", c."lastMessagePreview", c."lastMessageAt"
      FROM "Conversation" c
      LEFT JOIN "Lead" l ON l."id" = c."leadId" AND l."organizationId" = c."organizationId"
      WHERE c."organizationId" = ${ctx.orgId} AND c."lastMessageAt" IS NOT NULL AND (${Prisma.join(matches, " OR ")})
      ORDER BY c."lastMessageAt" DESC, c."id" DESC
      LIMIT ${limit}`,
  );
}

async function campaigns(ctx: Reader, terms: GlobalSearchTerms, limit: number) {
  if (terms.text.length < 2) return [];
  return ctx.db.campaign.findMany({
    where: { organizationId: ctx.orgId, name: { contains: terms.text, mode: "insensitive" } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: { id: true, name: true, status: true },
  });
}

/**
 * ⌘K across the organization (issue 13 item 5): leads by phone (any format, normalized to E.164),
 * by address or owner; inbox threads by number or their lead; campaigns by name. Every statement
 * is scoped to ctx.orgId; the queries run side by side, each an index lookup with a small limit.
 */
export async function globalSearch(ctx: Reader, q: string): Promise<GlobalSearchOutput> {
  const terms = parseGlobalSearch(q);
  if (terms.text.length === 0) return { leads: [], conversations: [], campaigns: [] };
  const byText = leadsHoldingWords(ctx, terms);
  const [byPhone, byWords, threads, campaignRows] = await Promise.all([
    leadsByPhone(ctx, terms, GLOBAL_SEARCH_LIMITS.leads),
    byText.then((ids) => leadsByWords(ctx, terms, ids, GLOBAL_SEARCH_LIMITS.leads)),
    byText.then((ids) => conversations(ctx, terms, ids, GLOBAL_SEARCH_LIMITS.conversations)),
    campaigns(ctx, terms, GLOBAL_SEARCH_LIMITS.campaigns),
  ]);
  const seen = new Set<string>();
  const leads = [...byPhone, ...byWords]
    .filter((row) => (seen.has(row.id) ? false : (seen.add(row.id), true)))
    .slice(0, GLOBAL_SEARCH_LIMITS.leads)
    .map(({ archivedAt, ...row }) => ({ ...row, archived: archivedAt !== null }));
  return {
    leads,
    conversations: threads.map((row) => ({
      id: row.id,
      phone: row.phone,
      leadId: row.leadId,
      ownerName: row.ownerName,
      address: row.addressLine1 ? [row.addressLine1, row.city, row.state].filter(Boolean).join(", ") : null,
      lastMessagePreview: row.lastMessagePreview,
      lastMessageAt: row.lastMessageAt,
    })),
    campaigns: campaignRows,
  };
}
