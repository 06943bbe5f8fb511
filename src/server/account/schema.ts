import { z } from "zod";
import { safeString } from "@/lib/text-schema";
import { isValidTimeZone } from "@/lib/time-zones";

export const emailSchema = safeString().trim().toLowerCase().email("Enter a valid email address.").max(254);
export const passwordSchema = safeString()
  .min(10, "Use at least 10 characters.")
  .max(200, "Use at most 200 characters.");
export const personNameSchema = safeString().trim().min(1, "Enter your name.").max(120);
export const timeZoneSchema = safeString().refine(isValidTimeZone, "Choose a valid time zone.");

export const signUpInput = z.object({
  name: personNameSchema,
  email: emailSchema,
  password: passwordSchema,
  organizationName: safeString().trim().min(2, "Name your organization.").max(120),
  timeZone: timeZoneSchema.default("America/New_York"),
});
export const signUpOutput = z.object({ userId: z.string(), organizationId: z.string() });

export const inviteTokenInput = z.object({ token: safeString().min(20).max(200) });
export const inviteInfoOutput = z.object({
  organizationName: z.string(),
  email: z.string(),
  role: z.enum(["admin", "manager", "user"]),
  expiresAt: z.date(),
});

export const acceptInviteInput = z.object({
  token: safeString().min(20).max(200),
  name: personNameSchema,
  password: passwordSchema,
});
export const acceptInviteOutput = z.object({ email: z.string(), organizationId: z.string() });

export const meOutput = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string().nullable() }),
  organization: z.object({ id: z.string(), name: z.string(), timeZone: z.string() }),
  role: z.enum(["admin", "manager", "user"]),
});

export const sessionIdInput = z.object({ sessionId: safeString().min(1).max(64) });
export const sessionsOutput = z.object({
  sessions: z.array(
    z.object({
      id: z.string(),
      createdAt: z.date(),
      lastSeenAt: z.date(),
      userAgent: z.string().nullable(),
      ip: z.string().nullable(),
      /** The session this request came from. */
      current: z.boolean(),
    }),
  ),
});
export const revokeSessionOutput = z.object({ ok: z.literal(true) });
export const signOutEverywhereOutput = z.object({ revoked: z.number().int() });

export const requestPasswordResetInput = z.object({ email: emailSchema });
/** devOutbox: no SMTP server and `npm run dev`, so the email is readable at /outbox. */
export const requestPasswordResetOutput = z.object({ ok: z.literal(true), devOutbox: z.boolean() });
export const resetTokenInput = z.object({ token: safeString().min(20).max(200) });
export const resetInfoOutput = z.object({ email: z.string(), expiresAt: z.date() });
export const resetPasswordInput = z.object({ token: safeString().min(20).max(200), password: passwordSchema });
export const resetPasswordOutput = z.object({ email: z.string() });

const emailRowOutput = z.object({
  id: z.string(),
  kind: z.enum(["password_reset", "invite"]),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  status: z.enum(["outbox", "sent", "failed"]),
  error: z.string().nullable(),
  createdAt: z.date(),
  sentAt: z.date().nullable(),
});
export const emailListInput = z.object({ limit: z.number().int().min(1).max(100).default(50) });
export const emailListOutput = z.object({ emails: z.array(emailRowOutput), smtpConfigured: z.boolean() });
