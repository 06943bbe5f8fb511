import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { containsPattern, parseGlobalSearch, type GlobalSearchTerms } from "@/lib/global-search-query";
import type { ServiceContext } from "../context";
import { querySql } from "../db";
import type { GlobalSearchOutput } from "./schema";

type Reader = Pick<ServiceContext, "db" | "orgId">;

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
  return querySql<LeadRow>(
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
 * The leads whose address or owner holds every word (of the first WORD_CANDIDATES found), those
 * that start with the text first, then the live ones, then the most recently changed.
 */
async function leadsByWords(ctx: Reader, terms: GlobalSearchTerms, limit: number): Promise<LeadRow[]> {
  if (terms.tokens.length === 0) return [];
  const prefix = `${terms.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return querySql<LeadRow>(
    ctx.db,
    Prisma.sql`SELECT ${LEAD_COLUMNS}, NULL::text AS "matchedPhone"
      FROM (SELECT * FROM "Lead" sl WHERE sl."organizationId" = ${ctx.orgId} AND ${wordsMatch("sl", terms.tokens)} LIMIT ${WORD_CANDIDATES}) l
      ORDER BY (l."addressLine1" ILIKE ${prefix} OR l."ownerName" ILIKE ${prefix}) DESC, (l."archivedAt" IS NULL) DESC, l."updatedAt" DESC, l."id"
      LIMIT ${limit}`,
  );
}

async function conversations(ctx: Reader, terms: GlobalSearchTerms, limit: number): Promise<ConversationRow[]> {
  const matches: Prisma.Sql[] = [];
  const byPhone = phoneMatch(Prisma.sql`c."phone"`, terms);
  if (byPhone) matches.push(byPhone);
  if (terms.tokens.length > 0) {
    matches.push(Prisma.sql`c."leadId" IN (SELECT sl."id" FROM "Lead" sl WHERE sl."organizationId" = ${ctx.orgId} AND ${wordsMatch("sl", terms.tokens)} LIMIT ${WORD_CANDIDATES})`);
  }
  if (matches.length === 0) return [];
  return querySql<ConversationRow>(
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
  const [byPhone, byWords, threads, campaignRows] = await Promise.all([
    leadsByPhone(ctx, terms, GLOBAL_SEARCH_LIMITS.leads),
    leadsByWords(ctx, terms, GLOBAL_SEARCH_LIMITS.leads),
    conversations(ctx, terms, GLOBAL_SEARCH_LIMITS.conversations),
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
