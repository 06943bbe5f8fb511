import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { orgDay } from "@/lib/org-day";
import { addDays } from "@/lib/analytics";
import { lockUntilCommit, type Db } from "../db";

/**
 * The analytics rollup (table AnalyticsDaily): per organization and org-local day, the counts and
 * cents the analytics and usage pages show, so a page load reads a few hundred small rows instead
 * of scanning leads, the spend ledger and messages (1M messages in an org: see `npm run bench analytics`).
 *
 * Metrics (key in brackets):
 * - leads_added / leads_has_phone / leads_textable [source] — leads created that day, and how many of
 *   them have a phone / a textable phone now (textable already means unsuppressed, not DNC, ok status).
 * - skip_trace_runs [matched | no_match | failed] — skip-trace records of the day.
 * - spend_cents / spend_calls [provider:operation] — the ledger (SpendEntry), by the day of the entry.
 * - camp_* [campaign id] — a campaign's outbound messages by the day they were sent (a cohort):
 *   sent, delivered, filtered (carrier filtered, 30007), failed (failed or undelivered otherwise),
 *   replied (an inbound text on the thread after it), opted_out (the number suppressed after it),
 *   interested / under_contract / closed (where the texted lead stands now), cost (cents).
 *
 * A day is recomputed whole (delete + insert in one transaction, one refresh of an organization at a
 * time). The worker refreshes the last two days every 10 minutes and the last 45 nightly, so late
 * delivery receipts, replies and status changes land; days older than that keep their last figures.
 */

/** Days the nightly refresh recomputes, and the first build covers at least. */
export const ROLLUP_RECENT_DAYS = 45;
/** A read older than this refreshes yesterday and today first (the worker usually has). */
export const ROLLUP_STALE_MS = 15 * 60_000;

const INTERESTED = Prisma.raw(`(l.status IN ('interested', 'negotiating', 'under_contract', 'closed') OR l."wonAt" IS NOT NULL)`);
const UNDER_CONTRACT = Prisma.raw(`(l.status IN ('under_contract', 'closed') OR l."wonAt" IS NOT NULL)`);
const CLOSED = Prisma.raw(`(l.status = 'closed' OR l."wonAt" IS NOT NULL)`);

/** The org-local calendar day of a UTC timestamp column. */
const localDay = (column: string, timeZone: string) => Prisma.sql`((${Prisma.raw(column)} AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone})::date`;

/** Recomputes the rollup of the org-local days from..to (inclusive, YYYY-MM-DD) in `timeZone`. */
export async function refreshRollupDays(db: Db, orgId: string, range: { from: string; to: string; timeZone: string }): Promise<void> {
  const { from, to, timeZone } = range;
  // Bounds as the UTC timestamps the columns hold: the zone's midnight of `from` and of the day after `to`.
  const lo = Prisma.sql`((${from}::date)::timestamp AT TIME ZONE ${timeZone}) AT TIME ZONE 'UTC'`;
  const hi = Prisma.sql`((${addDays(to, 1)}::date)::timestamp AT TIME ZONE ${timeZone}) AT TIME ZONE 'UTC'`;
  await db.$transaction(
    async (tx) => {
      await lockUntilCommit(tx, `analytics-rollup:${orgId}`);
      await tx.$executeRaw`DELETE FROM "AnalyticsDaily" WHERE "organizationId" = ${orgId} AND day >= ${from}::date AND day <= ${to}::date`;
      await tx.$executeRaw`
        INSERT INTO "AnalyticsDaily" ("organizationId", day, metric, key, value)
        SELECT ${orgId}, t.day, t.metric, t.key, t.value FROM (
          SELECT x.day, m.metric, x.key, m.value FROM (
            SELECT ${localDay(`l."createdAt"`, timeZone)} AS day, l.source::text AS key,
              count(*) AS a, count(*) FILTER (WHERE l."hasPhone") AS b, count(*) FILTER (WHERE l.textable) AS c
            FROM "Lead" l
            WHERE l."organizationId" = ${orgId} AND l."createdAt" >= ${lo} AND l."createdAt" < ${hi}
            GROUP BY 1, 2
          ) x CROSS JOIN LATERAL (VALUES ('leads_added', x.a), ('leads_has_phone', x.b), ('leads_textable', x.c)) m(metric, value)
          UNION ALL
          SELECT ${localDay(`s."createdAt"`, timeZone)}, 'skip_trace_runs', s.outcome::text, count(*)
          FROM "SkipTraceRecord" s
          WHERE s."organizationId" = ${orgId} AND s."createdAt" >= ${lo} AND s."createdAt" < ${hi}
          GROUP BY 1, 3
          UNION ALL
          SELECT x.day, m.metric, x.key, m.value FROM (
            SELECT ${localDay(`e."createdAt"`, timeZone)} AS day, e.provider::text || ':' || e.operation AS key,
              sum(e.cents)::bigint AS a, count(*) AS b
            FROM "SpendEntry" e
            WHERE e."organizationId" = ${orgId} AND e."createdAt" >= ${lo} AND e."createdAt" < ${hi}
            GROUP BY 1, 2
          ) x CROSS JOIN LATERAL (VALUES ('spend_cents', x.a), ('spend_calls', x.b)) m(metric, value)
          UNION ALL
          SELECT x.day, m.metric, x.key, m.value FROM (
            SELECT ${localDay(`msg."createdAt"`, timeZone)} AS day, msg."campaignId" AS key,
              count(*) AS sent,
              count(*) FILTER (WHERE msg.status = 'delivered') AS delivered,
              count(*) FILTER (WHERE msg.status = 'undelivered' AND msg."errorCode" = '30007') AS filtered,
              count(*) FILTER (WHERE msg.status = 'failed' OR (msg.status = 'undelivered' AND msg."errorCode" IS DISTINCT FROM '30007')) AS failed,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM "Message" i WHERE i."conversationId" = msg."conversationId" AND i.direction = 'inbound' AND i."createdAt" > msg."createdAt")) AS replied,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM "Suppression" s WHERE s."organizationId" = msg."organizationId" AND s.phone = c.phone AND s."createdAt" > msg."createdAt")) AS opted_out,
              count(*) FILTER (WHERE ${INTERESTED}) AS interested,
              count(*) FILTER (WHERE ${UNDER_CONTRACT}) AS under_contract,
              count(*) FILTER (WHERE ${CLOSED}) AS closed,
              COALESCE(sum(msg."costCents"), 0)::bigint AS cost
            FROM "Message" msg
            JOIN "Conversation" c ON c.id = msg."conversationId"
            LEFT JOIN "Lead" l ON l.id = c."leadId"
            WHERE msg."organizationId" = ${orgId} AND msg."createdAt" >= ${lo} AND msg."createdAt" < ${hi}
              AND msg.direction = 'outbound' AND msg."campaignId" IS NOT NULL
            GROUP BY 1, 2
          ) x CROSS JOIN LATERAL (VALUES
            ('camp_sent', x.sent), ('camp_delivered', x.delivered), ('camp_filtered', x.filtered), ('camp_failed', x.failed),
            ('camp_replied', x.replied), ('camp_opted_out', x.opted_out), ('camp_interested', x.interested),
            ('camp_under_contract', x.under_contract), ('camp_closed', x.closed), ('camp_cost', x.cost)
          ) m(metric, value)
        ) t
        WHERE t.value <> 0`;
    },
    { timeout: 10 * 60_000, maxWait: 60_000 },
  );
}

/** The first day to recompute: `wanted`, or earlier when the last refresh is older (from the day before it), never before what is covered. */
function sinceLastRefresh(timeZone: string, refreshedAt: Date, wanted: string, coveredFrom: string): string {
  const fromLast = addDays(orgDay(timeZone, refreshedAt), -1);
  const from = fromLast < wanted ? fromLast : wanted;
  return from < coveredFrom ? coveredFrom : from;
}

type RollupState = { timeZone: string; coveredFrom: string; refreshedAt: Date };

async function stateOf(db: Db, orgId: string): Promise<{ timeZone: string; state: RollupState | null }> {
  const [org, row] = await Promise.all([
    db.organization.findUniqueOrThrow({ where: { id: orgId }, select: { timeZone: true } }),
    db.analyticsRollupState.findUnique({ where: { organizationId: orgId } }),
  ]);
  return {
    timeZone: org.timeZone,
    state: row ? { timeZone: row.timeZone, coveredFrom: row.coveredFrom.toISOString().slice(0, 10), refreshedAt: row.refreshedAt } : null,
  };
}

async function saveState(db: Db, orgId: string, state: { timeZone: string; coveredFrom: string; refreshedAt: Date }) {
  const data = { timeZone: state.timeZone, coveredFrom: new Date(`${state.coveredFrom}T00:00:00Z`), refreshedAt: state.refreshedAt };
  await db.analyticsRollupState.upsert({ where: { organizationId: orgId }, create: { organizationId: orgId, ...data }, update: data });
}

/**
 * Makes the rollup cover `from` (a day, or a function of the org's today) up to today before a read: the first read of an organization
 * builds the last 45 days (or from `fromDay` if earlier), a read further back fills the days before
 * what is covered, a change of time zone rebuilds, and a rollup older than 15 minutes refreshes
 * yesterday and today. Otherwise (the usual case) it reads one row and does nothing.
 * Returns the zone, today, and when the figures were last refreshed.
 */
export async function ensureRollup(
  db: Db,
  orgId: string,
  from: string | ((today: string) => string),
  now = new Date(),
): Promise<{ timeZone: string; today: string; refreshedAt: Date }> {
  const { timeZone, state } = await stateOf(db, orgId);
  const today = orgDay(timeZone, now);
  const fromDay = typeof from === "function" ? from(today) : from;
  if (!state || state.timeZone !== timeZone) {
    const from = [fromDay, addDays(today, -(ROLLUP_RECENT_DAYS - 1)), state?.coveredFrom ?? fromDay].sort()[0]!;
    const start = new Date();
    await refreshRollupDays(db, orgId, { from, to: today, timeZone });
    await saveState(db, orgId, { timeZone, coveredFrom: from, refreshedAt: start });
    return { timeZone, today, refreshedAt: start };
  }
  let { coveredFrom, refreshedAt } = state;
  if (fromDay < coveredFrom) {
    await refreshRollupDays(db, orgId, { from: fromDay, to: addDays(coveredFrom, -1), timeZone });
    coveredFrom = fromDay;
    await saveState(db, orgId, { timeZone, coveredFrom, refreshedAt });
  }
  if (now.getTime() - refreshedAt.getTime() > ROLLUP_STALE_MS) {
    const from = sinceLastRefresh(timeZone, refreshedAt, addDays(today, -1), coveredFrom);
    refreshedAt = new Date();
    await refreshRollupDays(db, orgId, { from, to: today, timeZone });
    await saveState(db, orgId, { timeZone, coveredFrom, refreshedAt });
  }
  return { timeZone, today, refreshedAt };
}

/**
 * The worker's refresh (job "analytics-rollup"): the last `days` org-local days of every
 * organization whose rollup exists (one that nobody has opened is built on its first read).
 */
export async function refreshRecentRollups(db: Db, days: number, now = new Date()): Promise<number> {
  const states = await db.analyticsRollupState.findMany({ select: { organizationId: true } });
  let refreshed = 0;
  for (const { organizationId } of states) {
    const { timeZone, state } = await stateOf(db, organizationId);
    const today = orgDay(timeZone, now);
    const start = new Date();
    if (!state || state.timeZone !== timeZone) {
      const from = addDays(today, -(ROLLUP_RECENT_DAYS - 1));
      await refreshRollupDays(db, organizationId, { from, to: today, timeZone });
      await saveState(db, organizationId, { timeZone, coveredFrom: from, refreshedAt: start });
    } else {
      const from = sinceLastRefresh(timeZone, state.refreshedAt, addDays(today, -(days - 1)), state.coveredFrom);
      await refreshRollupDays(db, organizationId, { from, to: today, timeZone });
      await saveState(db, organizationId, { timeZone, coveredFrom: state.coveredFrom, refreshedAt: start });
    }
    refreshed++;
  }
  return refreshed;
}
