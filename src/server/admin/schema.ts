import { z } from "zod";
import { safeString } from "@/lib/text-schema";
import { emailSchema, timeZoneSchema } from "../account/schema";

export const roleSchema = z.enum(["admin", "manager", "user"]);
const id = safeString().min(1).max(64);

export const organizationOutput = z.object({
  id: z.string(),
  name: z.string(),
  timeZone: z.string(),
  createdAt: z.date(),
});
export const updateOrganizationOutput = organizationOutput.extend({
  /** Open tasks whose instant moved with a new time zone (they keep their day and time of day). */
  tasksMoved: z.number().int(),
});
export const updateOrganizationInput = z.object({
  name: safeString().trim().min(2, "Name your organization.").max(120),
  timeZone: timeZoneSchema,
});

export const memberOutput = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: roleSchema,
  deactivatedAt: z.date().nullable(),
  joinedAt: z.date(),
});
export const inviteOutput = z.object({
  id: z.string(),
  email: z.string(),
  role: roleSchema,
  expiresAt: z.date(),
  createdAt: z.date(),
  invitedBy: z.string().nullable(),
  status: z.enum(["pending", "expired"]),
});
export const listUsersOutput = z.object({ members: z.array(memberOutput), invites: z.array(inviteOutput) });

export const inviteUserInput = z.object({ email: emailSchema, role: roleSchema });
export const inviteUserOutput = z.object({
  inviteId: z.string(),
  inviteUrl: z.string(),
  expiresAt: z.date(),
  /** Pending (unexpired) invites to the same address this one replaced: their links no longer work. */
  replacedInvites: z.number().int(),
  /** The invite email: sent, kept in the outbox (no SMTP server configured), or failed (share the link yourself). */
  email: z.object({ status: z.enum(["outbox", "sent", "failed"]) }),
});
export const inviteIdInput = z.object({ inviteId: id });
export const userIdInput = z.object({ userId: id });
export const changeRoleInput = z.object({ userId: id, role: roleSchema });
export const okOutput = z.object({ ok: z.literal(true) });

export const listAuditInput = z.object({
  cursor: id.nullish(),
  limit: z.number().int().min(1).max(100).default(50),
  /** One action ("invite.created"), or a family ending in a dot ("invite."). */
  action: safeString().trim().min(1).max(80).regex(/^[a-z0-9_.]+$/, "Not an audit action").optional(),
  actorId: id.optional(),
  requestId: safeString().trim().min(1).max(100).optional(),
  /** Entries at or after this instant … */
  from: z.date().optional(),
  /** … and before this one. */
  to: z.date().optional(),
});
export const auditEntryOutput = z.object({
  id: z.string(),
  action: z.string(),
  actor: z.string().nullable(),
  actorName: z.string().nullable(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  details: z.unknown(),
  requestId: z.string().nullable(),
  createdAt: z.date(),
});
export const listAuditOutput = z.object({ entries: z.array(auditEntryOutput), nextCursor: z.string().nullable() });
export const auditFacetsOutput = z.object({
  actions: z.array(z.object({ action: z.string(), count: z.number().int() })),
  actors: z.array(z.object({ id: z.string(), email: z.string(), name: z.string().nullable() })),
});

export const skipTraceSettingsOutput = z.object({ skipTraceRecencyDays: z.number().int(), validateBestPhone: z.boolean() });
export const updateSkipTraceSettingsInput = z.object({
  skipTraceRecencyDays: z.number().int().min(0, "Use 0 or more days.").max(3650),
  validateBestPhone: z.boolean(),
});
