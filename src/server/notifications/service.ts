import "server-only";
import type { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import type { NotificationKind, Role } from "@/generated/prisma/enums";
import { NOTIFICATION_KINDS } from "@/lib/notification-kinds";
import type { ServiceContext } from "../context";
import type { Db } from "../db";
import { AppError } from "../errors";
import { keysetAfter } from "../pagination";
import { raiseEvent } from "../realtime/raise";
import type {
  listNotificationsInput,
  listNotificationsOutput,
  markReadInput,
  notificationPreferencesOutput,
  updateNotificationPreferencesInput,
} from "./schema";

type Tx = Db | Prisma.TransactionClient;

export type NotifyInput = {
  organizationId: string;
  kind: NotificationKind;
  /** Who: these users, and every member with one of these roles (active members of the organization only). */
  to: { userIds?: readonly (string | null | undefined)[]; roles?: readonly Role[]; except?: string | null };
  title: string;
  body: string;
  /** An in-app path to the subject. */
  link?: string | null;
  subjectType?: string | null;
  subjectId?: string | null;
  leadId?: string | null;
  /**
   * Unique per user: a second notify with the same key writes nothing (a retried job, a redelivered
   * webhook, a second process finding the same open circuit). Say what happened, once: "campaign:<id>:finished".
   */
  dedupeKey: string;
};

const TITLE_MAX = 200;
const BODY_MAX = 1_000;

/**
 * Notifies users in-app: the recipients who keep this kind switched on get a row and a live event
 * (topic "notification", only to their own subscriptions), both in `tx` so the event is heard on
 * commit and never for a rolled-back change. Returns the users newly notified.
 */
export async function notify(tx: Tx, input: NotifyInput): Promise<string[]> {
  const userIds = [...new Set((input.to.userIds ?? []).filter((id): id is string => typeof id === "string" && id.length > 0))];
  const roles = [...(input.to.roles ?? [])];
  if (userIds.length === 0 && roles.length === 0) return [];
  const members = await tx.membership.findMany({
    where: {
      organizationId: input.organizationId,
      deactivatedAt: null,
      OR: [...(userIds.length > 0 ? [{ userId: { in: userIds } }] : []), ...(roles.length > 0 ? [{ role: { in: roles } }] : [])],
      ...(input.to.except ? { NOT: { userId: input.to.except } } : {}),
      user: { notificationPreferences: { none: { organizationId: input.organizationId, kind: input.kind, inApp: false } } },
    },
    select: { userId: true },
  });
  if (members.length === 0) return [];
  const rows = await tx.notification.createManyAndReturn({
    data: members.map(({ userId }) => ({
      organizationId: input.organizationId,
      userId,
      kind: input.kind,
      title: input.title.slice(0, TITLE_MAX),
      body: input.body.slice(0, BODY_MAX),
      link: input.link ?? null,
      subjectType: input.subjectType ?? null,
      subjectId: input.subjectId ?? null,
      leadId: input.leadId ?? null,
      dedupeKey: input.dedupeKey,
    })),
    skipDuplicates: true,
    select: { id: true, userId: true },
  });
  for (const row of rows) {
    await raiseEvent(tx, { organizationId: input.organizationId, userId: row.userId, topic: "notification", subjectId: row.id, data: { kind: input.kind } });
  }
  return rows.map((row) => row.userId);
}

/** notify() in a transaction of its own (for callers that have none). */
export function notifyNow(db: Db, input: NotifyInput): Promise<string[]> {
  return db.$transaction((tx) => notify(tx, input));
}

// ─── the signed-in user's own notifications ───

type Ctx = Pick<ServiceContext, "db" | "orgId" | "userId">;
type ListOutput = z.output<typeof listNotificationsOutput>;

const listSelect = {
  id: true,
  kind: true,
  title: true,
  body: true,
  link: true,
  subjectType: true,
  subjectId: true,
  leadId: true,
  readAt: true,
  createdAt: true,
} as const;

/** Mine in this organization, newest first, a page at a time (cursor: the last row's id). */
export async function listNotifications(ctx: Ctx, input: z.output<typeof listNotificationsInput>): Promise<ListOutput> {
  const mine = { organizationId: ctx.orgId, userId: ctx.userId };
  let after: Prisma.NotificationWhereInput = {};
  if (input.cursor) {
    const last = await ctx.db.notification.findFirst({ where: { ...mine, id: input.cursor }, select: { id: true, createdAt: true } });
    if (!last) throw new AppError("NOT_FOUND", "That page of notifications is gone; reload the list.");
    after = keysetAfter("createdAt", "desc", last.createdAt, last.id) as Prisma.NotificationWhereInput;
  }
  const rows = await ctx.db.notification.findMany({
    where: { ...mine, ...(input.unreadOnly ? { readAt: null } : {}), ...after },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    select: listSelect,
  });
  const page = rows.slice(0, input.limit);
  return { items: page, nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null };
}

export async function unreadNotificationCount(ctx: Ctx): Promise<{ count: number }> {
  const count = await ctx.db.notification.count({ where: { organizationId: ctx.orgId, userId: ctx.userId, readAt: null } });
  return { count };
}

/** Marks these of mine read; an id that is not mine (another user's, another organization's) is NOT_FOUND and nothing changes. */
export async function markNotificationsRead(ctx: Ctx, input: z.output<typeof markReadInput>): Promise<{ count: number }> {
  const ids = [...new Set(input.ids)];
  return ctx.db.$transaction(async (tx) => {
    const mine = await tx.notification.count({ where: { id: { in: ids }, organizationId: ctx.orgId, userId: ctx.userId } });
    if (mine !== ids.length) throw new AppError("NOT_FOUND", "That notification no longer exists.");
    const { count } = await tx.notification.updateMany({
      where: { id: { in: ids }, organizationId: ctx.orgId, userId: ctx.userId, readAt: null },
      data: { readAt: new Date() },
    });
    if (count > 0) await raiseEvent(tx, { organizationId: ctx.orgId, userId: ctx.userId, topic: "notification", data: { read: count } });
    return { count };
  });
}

export async function markAllNotificationsRead(ctx: Ctx): Promise<{ count: number }> {
  return ctx.db.$transaction(async (tx) => {
    const { count } = await tx.notification.updateMany({
      where: { organizationId: ctx.orgId, userId: ctx.userId, readAt: null },
      data: { readAt: new Date() },
    });
    // Other tabs of the same user refresh their badge.
    if (count > 0) await raiseEvent(tx, { organizationId: ctx.orgId, userId: ctx.userId, topic: "notification", data: { read: count } });
    return { count };
  });
}

type Preferences = z.output<typeof notificationPreferencesOutput>;

export async function getNotificationPreferences(ctx: Ctx): Promise<Preferences> {
  const rows = await ctx.db.notificationPreference.findMany({
    where: { organizationId: ctx.orgId, userId: ctx.userId },
    select: { kind: true, inApp: true },
  });
  const off = new Set(rows.filter((row) => !row.inApp).map((row) => row.kind));
  return { kinds: NOTIFICATION_KINDS.map((kind) => ({ kind, inApp: !off.has(kind) })) };
}

export async function updateNotificationPreferences(ctx: Ctx, input: z.output<typeof updateNotificationPreferencesInput>): Promise<Preferences> {
  await ctx.db.$transaction(
    input.kinds.map(({ kind, inApp }) =>
      ctx.db.notificationPreference.upsert({
        where: { organizationId_userId_kind: { organizationId: ctx.orgId, userId: ctx.userId, kind } },
        create: { organizationId: ctx.orgId, userId: ctx.userId, kind, inApp },
        update: { inApp },
      }),
    ),
  );
  return getNotificationPreferences(ctx);
}
