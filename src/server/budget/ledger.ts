import "server-only";
import type { PaidProvider } from "@/generated/prisma/enums";
import { formatCents } from "@/lib/money";
import { formatOrgTime, nextOrgMidnight, orgDay } from "@/lib/org-day";
import { Prisma } from "@/generated/prisma/client";
import { querySql, type Db } from "../db";
import { newId } from "../ids";
import { AppError } from "../errors";
import { log } from "../log";
import { billingOfFailure, type Billed, type Billing } from "../providers/billing";
import type { BillingContext } from "./context";
import { budgetLabel, effectiveBudget } from "./settings";

/** A reservation open longer than this was abandoned by a crashed process. */
const RESERVATION_TTL_MS = 10 * 60_000;

export type Reservation = { id: string; orgId: string; provider: PaidProvider; day: string; cents: number };

export type SpendRequest = {
  orgId: string;
  provider: PaidProvider;
  operation: string;
  cents: number;
  requestId?: string;
};

export class CapExceededError extends AppError {
  /** `timeZone`: the organization's, in which the message tells the reset (midnight there). */
  constructor(details: { provider: PaidProvider; capCents: number; spentCents: number; reservedCents: number; requestedCents: number; resetsAt: Date; timeZone: string }) {
    const label = budgetLabel(details.provider).name;
    super(
      "CAP_EXCEEDED",
      `${label} daily cap reached: today's spend is ${formatCents(details.spentCents + details.reservedCents)} of ${formatCents(details.capCents)}` +
        ` and this call costs ${formatCents(details.requestedCents)}. The cap resets at midnight your time (${formatOrgTime(details.resetsAt, details.timeZone)});` +
        ` an admin can raise it in Settings → Budgets. Nothing was charged.`,
      // resetsAt stays an ISO instant in the details, for programs (the app formats it for people).
      { reason: "daily_cap", ...details, resetsAt: details.resetsAt.toISOString(), whoCanRaise: "admin" },
    );
  }
}

const dayDate = (day: string) => new Date(`${day}T00:00:00Z`);

/** The day and cap a reservation is judged by: from the request's billing context, else read now. */
async function dayAndCap(db: Db, orgId: string, provider: PaidProvider, context?: BillingContext) {
  const budget = context?.budgets[provider];
  if (context && budget) return { timeZone: context.timeZone, day: context.day, dailyCapCents: budget.dailyCapCents };
  const org = await db.organization.findUniqueOrThrow({ where: { id: orgId }, select: { timeZone: true } });
  const { dailyCapCents } = await effectiveBudget(db, orgId, provider);
  return { timeZone: org.timeZone, day: orgDay(org.timeZone), dailyCapCents };
}

async function capExceeded(db: Db, request: { orgId: string; provider: PaidProvider }, at: { timeZone: string; day: string; dailyCapCents: number }, requestedCents: number) {
  const today = await db.dailySpend.findUnique({
    where: { organizationId_provider_day: { organizationId: request.orgId, provider: request.provider, day: dayDate(at.day) } },
  });
  return new CapExceededError({
    provider: request.provider,
    capCents: at.dailyCapCents,
    spentCents: today?.spentCents ?? 0,
    reservedCents: today?.reservedCents ?? 0,
    requestedCents,
    resetsAt: nextOrgMidnight(at.timeZone),
    timeZone: at.timeZone,
  });
}

function reservationRow(request: { orgId: string; provider: PaidProvider; operation: string; requestId?: string }, day: string, cents: number) {
  return {
    organizationId: request.orgId,
    provider: request.provider,
    day: dayDate(day),
    operation: request.operation,
    cents,
    requestId: request.requestId,
    expiresAt: new Date(Date.now() + RESERVATION_TTL_MS),
  };
}

/**
 * Reserves the cost of a call before it is made. One conditional upsert moves the cents into
 * today's reservedCents only while spent + reserved + cost stays within the cap, so concurrent
 * callers (in any number of processes) can never overshoot it. With the request's billing
 * context the organization's day and cap are not read again.
 */
export async function reserve(db: Db, request: SpendRequest, context?: BillingContext): Promise<Reservation> {
  if (!Number.isInteger(request.cents) || request.cents < 0) throw new Error(`Invalid reservation amount ${request.cents}`);
  const at = await dayAndCap(db, request.orgId, request.provider, context);
  const { day, dailyCapCents } = at;

  // One statement on the pool: the grant and the reservation row commit together or not at all.
  const row = reservationRow(request, day, request.cents);
  const [reservation] = await querySql<{ id: string }>(
    db,
    Prisma.sql`WITH granted AS (
        INSERT INTO "DailySpend" ("organizationId", "provider", "day", "spentCents", "reservedCents", "updatedAt")
        SELECT ${request.orgId}, ${request.provider}::"PaidProvider", ${day}::date, 0, ${request.cents}, now()
        WHERE ${request.cents}::int <= ${dailyCapCents}::int
        ON CONFLICT ("organizationId", "provider", "day") DO UPDATE
          SET "reservedCents" = "DailySpend"."reservedCents" + EXCLUDED."reservedCents", "updatedAt" = now()
          WHERE "DailySpend"."spentCents" + "DailySpend"."reservedCents" + EXCLUDED."reservedCents" <= ${dailyCapCents}::int
        RETURNING 1)
      INSERT INTO "SpendReservation" ("id", "organizationId", "provider", "day", "operation", "cents", "requestId", "expiresAt", "createdAt")
      SELECT ${newId()}, ${row.organizationId}, ${row.provider}::"PaidProvider", ${day}::date, ${row.operation}, ${row.cents}, ${row.requestId ?? null},
        (${row.expiresAt.toISOString()}::timestamptz AT TIME ZONE 'UTC'), now()
      FROM granted
      RETURNING "id"`,
  );

  if (!reservation) throw await capExceeded(db, request, at, request.cents);
  return { id: reservation.id, orgId: request.orgId, provider: request.provider, day, cents: request.cents };
}

export type UpToRequest = {
  orgId: string;
  provider: PaidProvider;
  operation: string;
  /** Price of one unit (a matched record, a message segment). */
  unitCents: number;
  /** The most units wanted; fewer are granted when the cap leaves room for fewer. */
  maxUnits: number;
  requestId?: string;
};

export type UnitReservation = Reservation & { units: number; unitCents: number };

/**
 * Reserves as many units as today's cap still allows, up to `maxUnits` (bulk skip trace, and
 * campaigns next). The grant is one conditional UPDATE on today's row, locked for the statement,
 * so concurrent callers in any process split what is left without overshooting the cap. Granting
 * nothing is CAP_EXCEEDED, with the cap's explanation.
 */
export async function reserveUpTo(db: Db, request: UpToRequest, context?: BillingContext): Promise<UnitReservation> {
  const { unitCents, maxUnits } = request;
  if (!Number.isInteger(unitCents) || unitCents < 0) throw new Error(`Invalid unit price ${unitCents}`);
  if (!Number.isInteger(maxUnits) || maxUnits < 1) throw new Error(`Invalid unit count ${maxUnits}`);
  const at = await dayAndCap(db, request.orgId, request.provider, context);
  const { day, dailyCapCents } = at;

  const granted = await db.$transaction(async (tx) => {
    await tx.$executeRaw`
      INSERT INTO "DailySpend" ("organizationId", "provider", "day", "spentCents", "reservedCents", "updatedAt")
      VALUES (${request.orgId}, ${request.provider}::"PaidProvider", ${day}::date, 0, 0, now())
      ON CONFLICT ("organizationId", "provider", "day") DO NOTHING`;
    // `today` locks the row and reads its latest version; the grant is computed from it, so a
    // concurrent grant is always seen before this one is decided.
    const rows = await tx.$queryRaw<{ units: number }[]>`
      WITH today AS (
        SELECT "spentCents", "reservedCents" FROM "DailySpend"
        WHERE "organizationId" = ${request.orgId} AND "provider" = ${request.provider}::"PaidProvider" AND "day" = ${day}::date
        FOR UPDATE
      ), grant_ AS (
        SELECT CASE WHEN ${unitCents}::int = 0 THEN ${maxUnits}::int
          ELSE LEAST(${maxUnits}::int, GREATEST(0, (${dailyCapCents}::int - "spentCents" - "reservedCents") / ${unitCents}::int)) END AS units
        FROM today
      )
      UPDATE "DailySpend" AS d SET "reservedCents" = d."reservedCents" + grant_.units * ${unitCents}::int, "updatedAt" = now()
      FROM grant_
      WHERE d."organizationId" = ${request.orgId} AND d."provider" = ${request.provider}::"PaidProvider" AND d."day" = ${day}::date
        AND grant_.units > 0
      RETURNING grant_.units`;
    const units = rows[0]?.units ?? 0;
    if (units === 0) return null;
    const row = await tx.spendReservation.create({ data: reservationRow(request, day, units * unitCents), select: { id: true } });
    return { id: row.id, units };
  });

  if (!granted) throw await capExceeded(db, request, at, unitCents);
  return { id: granted.id, orgId: request.orgId, provider: request.provider, day, cents: granted.units * unitCents, units: granted.units, unitCents };
}

export type SettleDetails = {
  /** What the provider actually billed; at most the reserved amount (e.g. only matches). */
  cents: number;
  /** Of `cents`, what the vendor may not have billed (it never answered): counted so the cap holds, shown apart. */
  unconfirmedCents?: number;
  operation: string;
  simulated?: boolean;
  relatedType?: string;
  relatedId?: string;
  requestId?: string;
};

/** Today's totals of a budget after a settle or release; null when the reservation was already closed. */
export type SpendTotals = { spentCents: number; reservedCents: number } | null;

function noteTotals(context: BillingContext | undefined, provider: PaidProvider, totals: SpendTotals) {
  const budget = context?.budgets[provider];
  if (budget && totals) Object.assign(budget, totals);
}

/**
 * Turns a reservation into spend (and a ledger entry when anything was billed); the rest of the
 * reservation is released. Idempotent. Keeps the request's billing context's totals current.
 */
export async function settle(db: Db, reservation: Reservation, details: SettleDetails, context?: BillingContext): Promise<SpendTotals> {
  const cents = Math.min(Math.max(0, details.cents), reservation.cents);
  // One statement on the pool: the reservation closes, the day moves from reserved to spent and the
  // ledger entry is written together — or, for a reservation already closed, nothing at all.
  const [today] = await querySql<{ spentCents: number; reservedCents: number }>(
    db,
    Prisma.sql`WITH closed AS (
        UPDATE "SpendReservation" SET "status" = 'settled', "closedAt" = now() WHERE "id" = ${reservation.id} AND "status" = 'reserved' RETURNING "id"),
      entry AS (
        INSERT INTO "SpendEntry" ("id", "organizationId", "provider", "operation", "cents", "unconfirmedCents", "simulated", "relatedType", "relatedId", "requestId", "reservationId", "createdAt")
        SELECT ${newId()}, ${reservation.orgId}, ${reservation.provider}::"PaidProvider", ${details.operation}, ${cents}::int,
          ${Math.min(Math.max(0, details.unconfirmedCents ?? 0), cents)}::int, ${details.simulated ?? false}, ${details.relatedType ?? null}, ${details.relatedId ?? null},
          ${details.requestId ?? null}, closed."id", now()
        FROM closed WHERE ${cents}::int > 0)
      UPDATE "DailySpend" SET "reservedCents" = "reservedCents" - ${reservation.cents}::int, "spentCents" = "spentCents" + ${cents}::int, "updatedAt" = now()
      FROM closed
      WHERE "organizationId" = ${reservation.orgId} AND "provider" = ${reservation.provider}::"PaidProvider" AND "day" = ${reservation.day}::date
      RETURNING "spentCents", "reservedCents"`,
  );
  const totals: SpendTotals = today ?? null;
  noteTotals(context, reservation.provider, totals);
  return totals;
}

/** Gives a reservation back (the call failed or was not billable). Idempotent. */
export async function release(
  db: Db,
  reservation: Pick<Reservation, "id" | "orgId" | "provider" | "day" | "cents">,
  context?: BillingContext,
): Promise<SpendTotals> {
  const [today] = await querySql<{ spentCents: number; reservedCents: number }>(
    db,
    Prisma.sql`WITH closed AS (
        UPDATE "SpendReservation" SET "status" = 'released', "closedAt" = now() WHERE "id" = ${reservation.id} AND "status" = 'reserved' RETURNING "id")
      UPDATE "DailySpend" SET "reservedCents" = "reservedCents" - ${reservation.cents}::int, "updatedAt" = now()
      FROM closed
      WHERE "organizationId" = ${reservation.orgId} AND "provider" = ${reservation.provider}::"PaidProvider" AND "day" = ${reservation.day}::date
      RETURNING "spentCents", "reservedCents"`,
  );
  const totals: SpendTotals = today ?? null;
  noteTotals(context, reservation.provider, totals);
  return totals;
}

/** Releases reservations whose process died before settling them. */
export async function releaseExpiredReservations(db: Db, now = new Date()): Promise<number> {
  const expired = await db.spendReservation.findMany({
    where: { status: "reserved", expiresAt: { lt: now } },
    select: { id: true, organizationId: true, provider: true, day: true, cents: true },
    take: 500,
  });
  for (const row of expired) {
    await release(db, { id: row.id, orgId: row.organizationId, provider: row.provider, day: row.day.toISOString().slice(0, 10), cents: row.cents });
  }
  if (expired.length > 0) log.warn({ count: expired.length }, "released abandoned spend reservations");
  return expired.length;
}

export type MeteredRequest = {
  orgId: string;
  provider: PaidProvider;
  operation: string;
  /** Price of one billed unit. */
  unitCents: number;
  /** The most units the call can bill; this many are reserved. */
  units: number;
  requestId?: string;
  simulated?: boolean;
  relatedType?: string;
  relatedId?: string;
};

/**
 * Reserve → call → settle what the call says it billed (`Billed.billing`, or a failed call's
 * `ProviderCallError.billing`), releasing the rest.
 */
export async function withSpend<T>(
  db: Db,
  request: MeteredRequest,
  call: () => Promise<Billed<T>>,
  context?: BillingContext,
): Promise<{ value: T; billing: Billing; chargedCents: number }> {
  const reservation = await reserve(db, { ...request, cents: request.units * request.unitCents }, context);
  const settleFor = (billing: Billing) =>
    settle(
      db,
      reservation,
      {
        cents: billing.units * request.unitCents,
        unconfirmedCents: billing.possiblyBilled ? billing.units * request.unitCents : 0,
        operation: request.operation,
        simulated: request.simulated,
        relatedType: request.relatedType,
        relatedId: request.relatedId,
        requestId: request.requestId,
      },
      context,
    );
  let result: Billed<T>;
  try {
    result = await call();
  } catch (error) {
    const billing = billingOfFailure(error);
    if (billing.units > 0) await settleFor(billing);
    else await release(db, reservation, context);
    throw error;
  }
  await settleFor(result.billing);
  return { value: result.value, billing: result.billing, chargedCents: Math.min(result.billing.units * request.unitCents, reservation.cents) };
}
