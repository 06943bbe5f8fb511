import { z } from "zod";
import { NOTIFICATION_KINDS } from "@/lib/notification-kinds";
import { safeString } from "@/lib/text-schema";

export const notificationKindSchema = z.enum(NOTIFICATION_KINDS);

export const notificationOutput = z.object({
  id: z.string(),
  kind: notificationKindSchema,
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  subjectType: z.string().nullable(),
  subjectId: z.string().nullable(),
  leadId: z.string().nullable(),
  readAt: z.date().nullable(),
  createdAt: z.date(),
});

export const listNotificationsInput = z.object({
  limit: z.number().int().min(1).max(50).default(20),
  /** The last id of the previous page. */
  cursor: safeString().min(1).max(64).nullish(),
  unreadOnly: z.boolean().default(false),
});
export const listNotificationsOutput = z.object({ items: z.array(notificationOutput), nextCursor: z.string().nullable() });

export const unreadCountOutput = z.object({ count: z.number().int().nonnegative() });

export const markReadInput = z.object({ ids: z.array(safeString().min(1).max(64)).min(1).max(100) });
export const countOutput = z.object({ count: z.number().int().nonnegative() });

export const notificationPreferencesOutput = z.object({
  kinds: z.array(z.object({ kind: notificationKindSchema, inApp: z.boolean() })),
});
export const updateNotificationPreferencesInput = z.object({
  kinds: z
    .array(z.object({ kind: notificationKindSchema, inApp: z.boolean() }))
    .min(1)
    .max(NOTIFICATION_KINDS.length)
    .refine((kinds) => new Set(kinds.map((k) => k.kind)).size === kinds.length, "Each kind once."),
});
