import "server-only";
import { listOrganizationEmails, sendEmail } from "../mail/send";
import type { z } from "zod";
import type { ServiceContext } from "../context";
import { Prisma } from "@/generated/prisma/client";
import { querySql, retryTransientConflicts, type Db } from "../db";
import { keysetAfter } from "../pagination";
import { env } from "../env";
import { AppError, notFound } from "../errors";
import { recordAudit } from "../audit/record";
import { revokeAllSessions } from "../auth/sessions";
import { newInviteToken } from "../auth/invite-token";
import { setKillSwitch } from "../budget/kill-switches";
import { log } from "../log";
import { notifyKillSwitchFlipped } from "../notifications/producers";
import { moveTasksToZone } from "../lead-records/task-zone";
import type { setKillSwitchInput } from "./budget-schema";
import type { changeRoleInput, inviteUserInput, listAuditInput, updateOrganizationInput } from "./schema";

type Ctx = Pick<ServiceContext, "db" | "orgId" | "userId" | "requestId">;

export async function getOrganization({ db, orgId }: Ctx) {
  return db.organization.findUniqueOrThrow({
    where: { id: orgId },
    select: { id: true, name: true, timeZone: true, createdAt: true },
  });
}

/**
 * The organization's name and time zone. A new zone moves its tasks' instants in the same
 * transaction (lead-records/task-zone.ts): the row is locked before it is read, so two admins
 * saving at once cannot leave the tasks on the zone the other replaced, and a large organization's
 * tasks get more than Prisma's default 5 s. Run again if Postgres picks it as a deadlock's victim
 * (it locks many leads; a bulk action may lock some of them in another order).
 */
export async function updateOrganization(ctx: Ctx, input: z.infer<typeof updateOrganizationInput>) {
  return retryTransientConflicts(() => ctx.db.$transaction(async (tx) => {
    const [before] = await querySql<{ name: string; timeZone: string }>(tx, Prisma.sql`
      SELECT name, "timeZone" FROM "Organization" WHERE id = ${ctx.orgId} FOR NO KEY UPDATE`);
    if (!before) throw notFound("That organization");
    const updated = await tx.organization.update({
      where: { id: ctx.orgId },
      data: input,
      select: { id: true, name: true, timeZone: true, createdAt: true },
    });
    const tasksMoved = before.timeZone === updated.timeZone ? 0 : await moveTasksToZone(tx, ctx.orgId, updated.timeZone);
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actorId: ctx.userId,
      action: "organization.updated",
      targetType: "organization",
      targetId: ctx.orgId,
      details: { before, after: input, ...(tasksMoved > 0 ? { tasksMoved } : {}) },
      requestId: ctx.requestId,
    });
    return { ...updated, tasksMoved };
  }, { maxWait: 15_000, timeout: 120_000 }));
}

export async function listUsers({ db, orgId }: Ctx) {
  const [memberships, invites] = await Promise.all([
    db.membership.findMany({
      where: { organizationId: orgId },
      orderBy: { createdAt: "asc" },
      select: { role: true, deactivatedAt: true, createdAt: true, user: { select: { id: true, email: true, name: true } } },
    }),
    db.invite.findMany({
      where: { organizationId: orgId, acceptedAt: null, revokedAt: null },
      orderBy: { createdAt: "desc" },
      select: { id: true, email: true, role: true, expiresAt: true, createdAt: true, invitedBy: { select: { email: true } } },
    }),
  ]);
  const now = Date.now();
  return {
    members: memberships.map((m) => ({
      userId: m.user.id,
      email: m.user.email,
      name: m.user.name,
      role: m.role,
      deactivatedAt: m.deactivatedAt,
      joinedAt: m.createdAt,
    })),
    invites: invites.map((i) => ({
      id: i.id,
      email: i.email,
      role: i.role,
      expiresAt: i.expiresAt,
      createdAt: i.createdAt,
      invitedBy: i.invitedBy.email,
      status: i.expiresAt.getTime() > now ? ("pending" as const) : ("expired" as const),
    })),
  };
}

export async function inviteUser(ctx: Ctx, input: z.infer<typeof inviteUserInput>) {
  const alreadyMember = await ctx.db.membership.findFirst({
    where: { organizationId: ctx.orgId, user: { email: input.email } },
    select: { id: true },
  });
  if (alreadyMember) throw new AppError("CONFLICT", `${input.email} is already a member of this organization.`);
  const existingAccount = await ctx.db.user.findUnique({ where: { email: input.email }, select: { id: true } });
  if (existingAccount) {
    throw new AppError("CONFLICT", `${input.email} already has a LeadFlow account in another organization; accounts cannot join a second organization yet.`);
  }
  const { token, tokenHash } = newInviteToken();
  const expiresAt = new Date(Date.now() + env.INVITE_TTL_HOURS * 3_600_000);
  const { invite, replaced } = await ctx.db.$transaction(async (tx) => {
    await lockOrganization(tx, ctx.orgId);
    // A new invite replaces any pending one for the same address: its link stops working, and
    // the audit log says so (one invite.revoked row each, naming the invite that replaced it).
    const pending = await tx.invite.findMany({
      where: { organizationId: ctx.orgId, email: input.email, acceptedAt: null, revokedAt: null },
      select: { id: true, role: true, expiresAt: true },
    });
    const now = new Date();
    const active = pending.filter((old) => old.expiresAt > now);
    if (pending.length) {
      await tx.invite.updateMany({ where: { id: { in: pending.map((old) => old.id) }, revokedAt: null }, data: { revokedAt: now } });
    }
    const created = await tx.invite.create({
      data: { organizationId: ctx.orgId, email: input.email, role: input.role, tokenHash, expiresAt, invitedById: ctx.userId },
    });
    for (const old of pending) {
      await recordAudit(tx, {
        orgId: ctx.orgId,
        actorId: ctx.userId,
        action: "invite.revoked",
        targetType: "invite",
        targetId: old.id,
        details: { email: input.email, role: old.role, reason: "replaced", replacedBy: created.id, wasExpired: old.expiresAt <= now },
        requestId: ctx.requestId,
      });
    }
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actorId: ctx.userId,
      action: "invite.created",
      targetType: "invite",
      targetId: created.id,
      details: { email: input.email, role: input.role, expiresAt: expiresAt.toISOString(), ...(pending.length ? { replaces: pending.map((old) => old.id) } : {}) },
      requestId: ctx.requestId,
    });
    return { invite: created, replaced: active.length };
  });
  const inviteUrl = new URL(`/invite/${token}`, env.PUBLIC_BASE_URL ?? env.NEXTAUTH_URL).toString();
  const email = await sendInviteEmail(ctx, { to: input.email, role: input.role, inviteUrl, expiresAt });
  return { inviteId: invite.id, inviteUrl, expiresAt, replacedInvites: replaced, email };
}

async function sendInviteEmail(ctx: Ctx, invite: { to: string; role: string; inviteUrl: string; expiresAt: Date }) {
  const [org, inviter] = await Promise.all([
    ctx.db.organization.findUniqueOrThrow({ where: { id: ctx.orgId }, select: { name: true, timeZone: true } }),
    ctx.db.user.findUnique({ where: { id: ctx.userId }, select: { name: true, email: true } }),
  ]);
  const until = invite.expiresAt.toLocaleString("en-US", { timeZone: org.timeZone, dateStyle: "medium", timeStyle: "short" });
  const sent = await sendEmail(ctx.db, {
    kind: "invite",
    organizationId: ctx.orgId,
    to: invite.to,
    subject: `${inviter?.name ?? "A teammate"} invited you to ${org.name} on LeadFlow`,
    text: `${inviter?.name ?? inviter?.email ?? "A teammate"} invited you to join ${org.name} on LeadFlow as ${invite.role === "admin" ? "an admin" : `a ${invite.role}`}.\n\nAccept the invite and choose your password here:\n\n${invite.inviteUrl}\n\nThe link works until ${until} (${org.timeZone}).\n`,
  });
  return { status: sent.status };
}

export async function revokeInvite(ctx: Ctx, inviteId: string) {
  await ctx.db.$transaction(async (tx) => {
    const revoked = await tx.invite.updateMany({
      where: { id: inviteId, organizationId: ctx.orgId, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (revoked.count === 0) throw notFound("That pending invite");
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actorId: ctx.userId,
      action: "invite.revoked",
      targetType: "invite",
      targetId: inviteId,
      requestId: ctx.requestId,
    });
  });
  return { ok: true as const };
}

/** Serializes membership changes within one organization, so "keep one admin" holds under concurrency. */
async function lockOrganization(tx: Pick<Db, "$queryRaw">, orgId: string) {
  await tx.$queryRaw`SELECT id FROM "Organization" WHERE id = ${orgId} FOR UPDATE`;
}

async function memberOf(tx: Pick<Db, "membership">, orgId: string, userId: string) {
  const membership = await tx.membership.findUnique({
    where: { organizationId_userId: { organizationId: orgId, userId } },
    select: { id: true, role: true, deactivatedAt: true },
  });
  if (!membership) throw notFound("That user");
  return membership;
}

async function assertAnotherActiveAdmin(tx: Pick<Db, "membership">, orgId: string, exceptUserId: string) {
  const admins = await tx.membership.count({
    where: { organizationId: orgId, role: "admin", deactivatedAt: null, userId: { not: exceptUserId } },
  });
  if (admins === 0) throw new AppError("PRECONDITION_FAILED", "An organization needs at least one active admin.");
}

export async function changeRole(ctx: Ctx, input: z.infer<typeof changeRoleInput>) {
  return ctx.db.$transaction(async (tx) => {
    await lockOrganization(tx, ctx.orgId);
    const membership = await memberOf(tx, ctx.orgId, input.userId);
    if (membership.role === input.role) return { ok: true as const };
    if (membership.role === "admin") await assertAnotherActiveAdmin(tx, ctx.orgId, input.userId);
    await tx.membership.update({ where: { id: membership.id }, data: { role: input.role } });
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actorId: ctx.userId,
      action: "user.role_changed",
      targetType: "user",
      targetId: input.userId,
      details: { from: membership.role, to: input.role },
      requestId: ctx.requestId,
    });
    return { ok: true as const };
  });
}

export async function setActive(ctx: Ctx, userId: string, active: boolean) {
  if (!active && userId === ctx.userId) throw new AppError("BAD_REQUEST", "You cannot deactivate yourself.");
  return ctx.db.$transaction(async (tx) => {
    await lockOrganization(tx, ctx.orgId);
    const membership = await memberOf(tx, ctx.orgId, userId);
    if (!!membership.deactivatedAt === !active) return { ok: true as const };
    if (!active && membership.role === "admin") await assertAnotherActiveAdmin(tx, ctx.orgId, userId);
    await tx.membership.update({ where: { id: membership.id }, data: { deactivatedAt: active ? null : new Date() } });
    if (!active) await revokeAllSessions(tx, userId);
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actorId: ctx.userId,
      action: active ? "user.reactivated" : "user.deactivated",
      targetType: "user",
      targetId: userId,
      requestId: ctx.requestId,
    });
    return { ok: true as const };
  });
}

export async function listAudit({ db, orgId }: Ctx, input: z.infer<typeof listAuditInput>) {
  const where: Prisma.AuditLogWhereInput = { organizationId: orgId };
  const filters: Prisma.AuditLogWhereInput[] = [];
  if (input.action) filters.push({ action: input.action.endsWith(".") ? { startsWith: input.action } : input.action });
  if (input.actorId) filters.push({ actorId: input.actorId });
  if (input.requestId) filters.push({ requestId: input.requestId });
  if (input.from) filters.push({ createdAt: { gte: input.from } });
  if (input.to) filters.push({ createdAt: { lt: input.to } });
  if (input.cursor) {
    const after = await db.auditLog.findFirst({ where: { id: input.cursor, organizationId: orgId }, select: { id: true, createdAt: true } });
    if (!after) throw notFound("That audit entry");
    filters.push(keysetAfter("createdAt", "desc", after.createdAt, after.id) as Prisma.AuditLogWhereInput);
  }
  if (filters.length) where.AND = filters;
  const rows = await db.auditLog.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    select: {
      id: true,
      action: true,
      targetType: true,
      targetId: true,
      details: true,
      requestId: true,
      createdAt: true,
      actor: { select: { id: true, email: true, name: true } },
    },
  });
  const page = rows.slice(0, input.limit);
  return {
    entries: page.map(({ actor, ...row }) => ({ ...row, actor: actor?.email ?? null, actorName: actor?.name ?? null })),
    nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

export async function getSkipTraceSettings({ db, orgId }: Ctx) {
  return db.organizationSettings.upsert({
    where: { organizationId: orgId },
    create: { organizationId: orgId },
    update: {},
    select: { skipTraceRecencyDays: true, validateBestPhone: true },
  });
}

export async function updateSkipTraceSettings(ctx: Ctx, input: { skipTraceRecencyDays: number; validateBestPhone: boolean }) {
  return ctx.db.$transaction(async (tx) => {
    const updated = await tx.organizationSettings.upsert({
      where: { organizationId: ctx.orgId },
      create: { organizationId: ctx.orgId, ...input },
      update: input,
      select: { skipTraceRecencyDays: true, validateBestPhone: true },
    });
    await recordAudit(tx, { orgId: ctx.orgId, actorId: ctx.userId, action: "settings.skip_trace_updated", details: input, requestId: ctx.requestId });
    return updated;
  });
}

/**
 * Engages or releases a kill switch (budget/setKillSwitch: the switch and its audit entry), then
 * tells the other admins and managers in-app. The notice is its own transaction after the flip:
 * a failed notice is logged and never undoes the switch.
 */
export async function flipKillSwitch(ctx: Ctx, input: z.infer<typeof setKillSwitchInput>) {
  const switches = await setKillSwitch(ctx.db, ctx, input);
  try {
    const [row, actor] = await Promise.all([
      ctx.db.killSwitch.findUnique({ where: { organizationId_kind: { organizationId: ctx.orgId, kind: input.kind } }, select: { engaged: true, reason: true, changedAt: true } }),
      ctx.db.user.findUnique({ where: { id: ctx.userId }, select: { name: true, email: true } }),
    ]);
    if (row) {
      await ctx.db.$transaction((tx) =>
        notifyKillSwitchFlipped(tx, { orgId: ctx.orgId, actorId: ctx.userId, actorName: actor?.name ?? actor?.email ?? null, kind: input.kind, engaged: row.engaged, reason: row.reason, changedAt: row.changedAt }),
      );
    }
  } catch (error) {
    log.warn({ err: error, kind: input.kind }, "could not notify the team of a kill switch change");
  }
  return switches;
}

/** The actions recorded in this organization and who acted, for the audit log's filters. */
export async function auditFacets({ db, orgId }: Ctx) {
  const [actions, actors] = await Promise.all([
    db.auditLog.groupBy({ by: ["action"], where: { organizationId: orgId }, _count: true, orderBy: { action: "asc" } }),
    db.membership.findMany({ where: { organizationId: orgId }, select: { user: { select: { id: true, email: true, name: true } } }, orderBy: { createdAt: "asc" } }),
  ]);
  return { actions: actions.map((row) => ({ action: row.action, count: row._count })), actors: actors.map((row) => row.user) };
}

export async function listOrganizationEmailLog({ db, orgId }: Ctx, limit: number) {
  return { emails: await listOrganizationEmails(db, orgId, limit), smtpConfigured: Boolean(env.SMTP_URL) };
}
