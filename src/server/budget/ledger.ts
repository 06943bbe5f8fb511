import "server-only";
import type { PaidProvider } from "@/generated/prisma/enums";
import { formatCents } from "@/lib/money";
import { nextOrgMidnight, orgDay } from "@/lib/org-day";
import type { Db } from "../db";
import { AppError } from "../errors";
import { log } from "../log";
import { effectiveBudget, PROVIDER_LABELS } from "./settings";

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
  constructor(details: { provider: PaidProvider; capCents: number; spentCents: number; reservedCents: number; requestedCents: number; resetsAt: Date }) {
    const label = PROVIDER_LABELS[details.provider].name;
    super(
      "CAP_EXCEEDED",
      `${label} daily cap reached: today's spend is ${formatCents(details.spentCents + details.reservedCents)} of ${formatCents(details.capCents)}` +
        ` and this call costs ${formatCents(details.requestedCents)}. The cap resets at ${details.resetsAt.toISOString()};` +
        ` an admin can raise it in Settings → Budgets. Nothing was charged.`,
      { reason: "daily_cap", ...details, resetsAt: details.resetsAt.toISOString(), whoCanRaise: "admin" },
    );
  }
}

async function orgTimeZone(db: Db, orgId: string) {
  const org = await db.organization.findUniqueOrThrow({ where: { id: orgId }, select: { timeZone: true } });
  return org.timeZone;
}

/**
 * Reserves the cost of a call before it is made. One conditional upsert moves the cents into
 * today's reservedCents only while spent + reserved + cost stays within the cap, so concurrent
 * callers (in any number of processes) can never overshoot it.
 */
export async function reserve(db: Db, request: SpendRequest): Promise<Reservation> {
  if (!Number.isInteger(request.cents) || request.cents < 0) throw new Error(`Invalid reservation amount ${request.cents}`);
  const timeZone = await orgTimeZone(db, request.orgId);
  const day = orgDay(timeZone);
  const { dailyCapCents } = await effectiveBudget(db, request.orgId, request.provider);

  const reservation = await db.$transaction(async (tx) => {
    const granted = await tx.$queryRaw<{ spentCents: number }[]>`
      INSERT INTO "DailySpend" ("organizationId", "provider", "day", "spentCents", "reservedCents", "updatedAt")
      SELECT ${request.orgId}, ${request.provider}::"PaidProvider", ${day}::date, 0, ${request.cents}, now()
      WHERE ${request.cents}::int <= ${dailyCapCents}::int
      ON CONFLICT ("organizationId", "provider", "day") DO UPDATE
        SET "reservedCents" = "DailySpend"."reservedCents" + EXCLUDED."reservedCents", "updatedAt" = now()
        WHERE "DailySpend"."spentCents" + "DailySpend"."reservedCents" + EXCLUDED."reservedCents" <= ${dailyCapCents}::int
      RETURNING "spentCents"`;
    if (granted.length === 0) return null;
    return tx.spendReservation.create({
      data: {
        organizationId: request.orgId,
        provider: request.provider,
        day: new Date(`${day}T00:00:00Z`),
        operation: request.operation,
        cents: request.cents,
        requestId: request.requestId,
        expiresAt: new Date(Date.now() + RESERVATION_TTL_MS),
      },
      select: { id: true },
    });
  });

  if (!reservation) {
    const today = await db.dailySpend.findUnique({
      where: { organizationId_provider_day: { organizationId: request.orgId, provider: request.provider, day: new Date(`${day}T00:00:00Z`) } },
    });
    throw new CapExceededError({
      provider: request.provider,
      capCents: dailyCapCents,
      spentCents: today?.spentCents ?? 0,
      reservedCents: today?.reservedCents ?? 0,
      requestedCents: request.cents,
      resetsAt: nextOrgMidnight(timeZone),
    });
  }
  return { id: reservation.id, orgId: request.orgId, provider: request.provider, day, cents: request.cents };
}

export type SettleDetails = {
  /** What the provider actually billed; at most the reserved amount (e.g. only matches). */
  cents: number;
  operation: string;
  simulated?: boolean;
  relatedType?: string;
  relatedId?: string;
  requestId?: string;
};

/** Turns a reservation into spend (and a ledger entry when anything was billed). Idempotent. */
export async function settle(db: Db, reservation: Reservation, details: SettleDetails): Promise<void> {
  const cents = Math.min(Math.max(0, details.cents), reservation.cents);
  await db.$transaction(async (tx) => {
    const closed = await tx.spendReservation.updateMany({
      where: { id: reservation.id, status: "reserved" },
      data: { status: "settled", closedAt: new Date() },
    });
    if (closed.count === 0) return;
    await tx.$executeRaw`
      UPDATE "DailySpend" SET "reservedCents" = "reservedCents" - ${reservation.cents}::int,
        "spentCents" = "spentCents" + ${cents}::int, "updatedAt" = now()
      WHERE "organizationId" = ${reservation.orgId} AND "provider" = ${reservation.provider}::"PaidProvider" AND "day" = ${reservation.day}::date`;
    if (cents > 0) {
      await tx.spendEntry.create({
        data: {
          organizationId: reservation.orgId,
          provider: reservation.provider,
          operation: details.operation,
          cents,
          simulated: details.simulated ?? false,
          relatedType: details.relatedType,
          relatedId: details.relatedId,
          requestId: details.requestId,
          reservationId: reservation.id,
        },
      });
    }
  });
}

/** Gives a reservation back (the call failed or was not billable). Idempotent. */
export async function release(db: Db, reservation: Pick<Reservation, "id" | "orgId" | "provider" | "day" | "cents">): Promise<void> {
  await db.$transaction(async (tx) => {
    const closed = await tx.spendReservation.updateMany({
      where: { id: reservation.id, status: "reserved" },
      data: { status: "released", closedAt: new Date() },
    });
    if (closed.count === 0) return;
    await tx.$executeRaw`
      UPDATE "DailySpend" SET "reservedCents" = "reservedCents" - ${reservation.cents}::int, "updatedAt" = now()
      WHERE "organizationId" = ${reservation.orgId} AND "provider" = ${reservation.provider}::"PaidProvider" AND "day" = ${reservation.day}::date`;
  });
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

export type MeteredCall<T> = {
  /** What a successful result actually cost (ATTOM bills successful responses, BatchData only matches). */
  billed?: (result: T) => number;
  /** What a failed call still cost (a multi-request search that failed part way); 0 releases all. */
  billedOnFailure?: (error: unknown) => number;
};

/** Reserve → call → settle what was billed, or release what was not. */
export async function withSpend<T>(
  db: Db,
  request: SpendRequest & { simulated?: boolean; relatedType?: string; relatedId?: string },
  call: () => Promise<T>,
  metering: MeteredCall<T> = {},
): Promise<{ result: T; chargedCents: number }> {
  const reservation = await reserve(db, request);
  const settleFor = (cents: number) =>
    settle(db, reservation, {
      cents,
      operation: request.operation,
      simulated: request.simulated,
      relatedType: request.relatedType,
      relatedId: request.relatedId,
      requestId: request.requestId,
    });
  let result: T;
  try {
    result = await call();
  } catch (error) {
    const owed = Math.min(metering.billedOnFailure?.(error) ?? 0, reservation.cents);
    if (owed > 0) await settleFor(owed);
    else await release(db, reservation);
    throw error;
  }
  const chargedCents = Math.min(metering.billed?.(result) ?? request.cents, reservation.cents);
  await settleFor(chargedCents);
  return { result, chargedCents };
}
