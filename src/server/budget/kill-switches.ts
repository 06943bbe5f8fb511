import "server-only";
import type { KillSwitchKind } from "@/generated/prisma/enums";
import { Prisma } from "@/generated/prisma/client";
import { querySql, type Db } from "../db";
import { env } from "../env";
import { AppError } from "../errors";
import { recordAudit } from "../audit/record";

export const KILL_SWITCHES = ["search", "skip_trace", "sms", "ai"] as const satisfies readonly KillSwitchKind[];

export const KILL_SWITCH_LABELS: Record<KillSwitchKind, string> = {
  search: "Paid property search",
  skip_trace: "Skip tracing",
  sms: "SMS sending",
  ai: "AI assistance (OpenAI)",
};

export type KillSwitchState = {
  kind: KillSwitchKind;
  engaged: boolean;
  /** Engaged for every organization by the GLOBAL_KILL_SWITCHES setting; admins cannot lift it. */
  global: boolean;
  reason: string | null;
  changedBy: string | null;
  changedAt: Date | null;
};

export async function listKillSwitches(db: Db, orgId: string): Promise<KillSwitchState[]> {
  const rows = await db.killSwitch.findMany({ where: { organizationId: orgId } });
  const users = await db.user.findMany({
    where: { id: { in: rows.map((row) => row.changedById).filter((id): id is string => !!id) } },
    select: { id: true, email: true },
  });
  return KILL_SWITCHES.map((kind) => {
    const row = rows.find((r) => r.kind === kind);
    const global = env.GLOBAL_KILL_SWITCHES.includes(kind);
    return {
      kind,
      engaged: global || !!row?.engaged,
      global,
      reason: global && !row?.engaged ? "Switched off for all organizations by the operator." : (row?.reason ?? null),
      changedBy: users.find((u) => u.id === row?.changedById)?.email ?? null,
      changedAt: row?.changedAt ?? null,
    };
  });
}

/** The refusal for an engaged switch: who switched it off and who can switch it back on. */
export function killSwitchError(kind: KillSwitchKind, engaged: { global: true } | { global: false; reason: string | null }): AppError {
  if (engaged.global) {
    return new AppError("KILL_SWITCH_ON", `${KILL_SWITCH_LABELS[kind]} is switched off for all organizations by the operator.`, {
      reason: "kill_switch",
      kind,
      global: true,
    });
  }
  return new AppError(
    "KILL_SWITCH_ON",
    `${KILL_SWITCH_LABELS[kind]} is switched off for your organization (${engaged.reason}). An admin can switch it back on in Settings → Kill switches.`,
    { reason: "kill_switch", kind, global: false },
  );
}

/** The refusal an engaged switch gives, or null when it is off. Read fresh on every call. */
export async function engagedKillSwitch(db: Db | Prisma.TransactionClient, orgId: string, kind: KillSwitchKind): Promise<AppError | null> {
  if (env.GLOBAL_KILL_SWITCHES.includes(kind)) return killSwitchError(kind, { global: true });
  // Raw (a prepared statement on the pool): every send decision reads it.
  const [row] = await querySql<{ engaged: boolean; reason: string }>(
    db,
    Prisma.sql`SELECT "engaged", "reason" FROM "KillSwitch" WHERE "organizationId" = ${orgId} AND "kind" = ${kind}::"KillSwitchKind"`,
  );
  return row?.engaged ? killSwitchError(kind, { global: false, reason: row.reason }) : null;
}

/** Refuses before any provider call when the switch is engaged. */
export async function assertSwitchOff(db: Db | Prisma.TransactionClient, orgId: string, kind: KillSwitchKind): Promise<void> {
  const refusal = await engagedKillSwitch(db, orgId, kind);
  if (refusal) throw refusal;
}

export async function setKillSwitch(
  db: Db,
  ctx: { orgId: string; userId: string; requestId?: string },
  input: { kind: KillSwitchKind; engaged: boolean; reason: string },
) {
  await db.$transaction(async (tx) => {
    await tx.killSwitch.upsert({
      where: { organizationId_kind: { organizationId: ctx.orgId, kind: input.kind } },
      create: { organizationId: ctx.orgId, kind: input.kind, engaged: input.engaged, reason: input.reason, changedById: ctx.userId },
      update: { engaged: input.engaged, reason: input.reason, changedById: ctx.userId, changedAt: new Date() },
    });
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actorId: ctx.userId,
      action: input.engaged ? "kill_switch.engaged" : "kill_switch.released",
      targetType: "kill_switch",
      targetId: input.kind,
      details: { reason: input.reason },
      requestId: ctx.requestId,
    });
  });
  return listKillSwitches(db, ctx.orgId);
}
