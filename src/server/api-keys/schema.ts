import { z } from "zod";
import { API_SCOPES } from "@/lib/api-scopes";
import { idString, safeString } from "@/lib/text-schema";

/** API keys in Settings (issue 13 item 3): admins create, list and revoke them. */
export const createApiKeyInput = z.object({
  name: safeString().trim().min(1, "Name the key after what will use it, e.g. “Zapier”.").max(80),
  scopes: z.array(z.enum(API_SCOPES as [string, ...string[]])).min(1, "Choose at least one scope.").max(API_SCOPES.length),
  /** Days until the key stops working; null: until revoked. */
  expiresInDays: z.number().int().min(1).max(3650).nullish(),
  /** Requests the key may make per minute (a fixed one-minute window, counted in Postgres). */
  rateLimitPerMinute: z.number().int().min(1, "At least 1 request a minute.").max(10_000, "At most 10,000 requests a minute.").default(120),
});

export const apiKeyIdInput = z.object({ id: idString() });

const personOutput = z.object({ id: z.string(), name: z.string().nullable(), email: z.string() });

export const apiKeyOutput = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  status: z.enum(["active", "expired", "revoked"]),
  createdAt: z.date(),
  createdBy: personOutput.nullable(),
  expiresAt: z.date().nullable(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
  rateLimitPerMinute: z.number().int(),
});

export const listApiKeysOutput = z.array(apiKeyOutput);

/** The whole key is in this answer and nowhere else, ever: it is not stored. */
export const createApiKeyOutput = z.object({ key: z.string(), apiKey: apiKeyOutput });
