import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { Role } from "@/generated/prisma/enums";
import { Prisma } from "@/generated/prisma/client";
import { API_KEY_PREFIX, apiKeyPrefixOf, describeScopes, isApiScope, type ApiScope } from "@/lib/api-scopes";
import { recordAudit } from "../audit/record";
import { querySql, type Db } from "../db";
import { AppError } from "../errors";
import type { ViewerRecord } from "./membership";

/**
 * API keys (issue 13 item 3): how a REST request says who it is. A key is `lf_<8>_<43>` —
 * 8 visible characters and 32 random bytes; only its SHA-256 is stored (a key has 256 bits of
 * entropy, so a fast hash is as good as a slow one and keeps every request cheap).
 *
 * A request with a key acts in the key's organization as the admin who created it, limited to the
 * key's scopes: the organization and role reach orgProcedure as the request's viewer, exactly as a
 * session's do (trpc.ts), so tenancy is still decided in one place.
 */

const PREFIX_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** A new key: the whole key (shown once), its visible prefix and its hash (what is stored). */
export function generateApiKey(): { key: string; prefix: string; secretHash: string } {
  const visible = Array.from(randomBytes(8), (byte) => PREFIX_ALPHABET[byte % PREFIX_ALPHABET.length]).join("");
  const key = `${API_KEY_PREFIX}${visible}_${randomBytes(32).toString("base64url")}`;
  return { key, prefix: `${API_KEY_PREFIX}${visible}`, secretHash: hashApiKey(key) };
}

/** Who a REST request is: the key, its organization and the role of the admin it acts as. */
export type ApiKeyPrincipal = {
  keyId: string;
  prefix: string;
  orgId: string;
  userId: string;
  role: Role;
  scopes: ApiScope[];
  /** The request's viewer, as orgProcedure reads it (auth/membership.ts). */
  viewer: Extract<ViewerRecord, { kind: "active" }>;
};

type KeyRow = {
  keyId: string;
  prefix: string;
  orgId: string;
  orgName: string;
  scopes: string[];
  userId: string | null;
  email: string | null;
  name: string | null;
  membershipId: string | null;
  role: Role | null;
  deactivated: boolean | null;
  limit: number;
  count: number;
  retryAfter: number;
};

const BEARER = /^Bearer\s+(\S+)\s*$/i;

const HOW_TO_SEND = "Send an API key as `Authorization: Bearer <key>`. Admins create keys in Settings → API keys.";

/** The key a request presents, or why it presents none. */
function presentedKey(headers: Headers): string {
  const authorization = headers.get("authorization");
  if (!authorization) throw new AppError("UNAUTHORIZED", `No API key was sent. ${HOW_TO_SEND}`);
  const match = BEARER.exec(authorization);
  if (!match || !apiKeyPrefixOf(match[1]!)) throw new AppError("UNAUTHORIZED", `That is not a LeadFlow API key. ${HOW_TO_SEND}`);
  return match[1]!;
}

/**
 * Authenticates one REST request: the key must exist, be neither revoked nor expired (read now,
 * so revoking or expiring bites on the very next request), its creator's membership must still be
 * active, and the key must be within its per-minute limit. One statement counts the request in
 * the key's fixed one-minute window and stamps lastUsedAt: the row lock serializes concurrent
 * requests of one key, so exactly `rateLimitPerMinute` of them pass in a window, on any number of
 * servers.
 */
export async function authenticateApiKey(db: Db, headers: Headers): Promise<ApiKeyPrincipal> {
  const key = presentedKey(headers);
  const secretHash = hashApiKey(key);
  const [row] = await querySql<KeyRow>(db, Prisma.sql`
    WITH k AS (
      UPDATE "ApiKey" SET
        "rateWindowCount" = CASE WHEN "rateWindowStart" = date_trunc('minute', now() AT TIME ZONE 'UTC') THEN "rateWindowCount" + 1 ELSE 1 END,
        "rateWindowStart" = date_trunc('minute', now() AT TIME ZONE 'UTC'),
        "lastUsedAt" = now() AT TIME ZONE 'UTC'
      WHERE "secretHash" = ${secretHash} AND "revokedAt" IS NULL
        AND ("expiresAt" IS NULL OR "expiresAt" > now() AT TIME ZONE 'UTC')
      RETURNING id, prefix, "organizationId", scopes, "createdById", "rateLimitPerMinute", "rateWindowCount"
    )
    SELECT k.id AS "keyId", k.prefix, k."organizationId" AS "orgId", o.name AS "orgName", k.scopes,
           u.id AS "userId", u.email, u.name, m.id AS "membershipId", m.role::text AS role,
           (m."deactivatedAt" IS NOT NULL) AS deactivated,
           k."rateLimitPerMinute" AS "limit", k."rateWindowCount" AS count,
           (60 - floor(extract(second FROM now())))::int AS "retryAfter"
    FROM k
    JOIN "Organization" o ON o.id = k."organizationId"
    LEFT JOIN "User" u ON u.id = k."createdById"
    LEFT JOIN "Membership" m ON m."userId" = k."createdById" AND m."organizationId" = k."organizationId"`);
  if (!row) throw await whyRefused(db, secretHash);
  if (!row.userId || !row.membershipId || !row.role || row.deactivated) {
    throw new AppError("UNAUTHORIZED", "The admin who created this API key is no longer active in the organization, so the key no longer works. Ask an admin for a new key.");
  }
  if (row.count > row.limit) {
    const retryAfterSeconds = Math.max(1, row.retryAfter);
    throw new AppError(
      "RATE_LIMITED",
      `This API key made more than ${row.limit} requests this minute. Retry after ${retryAfterSeconds} s.`,
      { limitPerMinute: row.limit },
      { retryAfterSeconds },
    );
  }
  const scopes = row.scopes.filter(isApiScope);
  return {
    keyId: row.keyId,
    prefix: row.prefix,
    orgId: row.orgId,
    userId: row.userId,
    role: row.role,
    scopes,
    viewer: {
      kind: "active",
      userId: row.userId,
      email: row.email ?? "",
      name: row.name,
      orgName: row.orgName,
      membershipId: row.membershipId,
      orgId: row.orgId,
      role: row.role,
    },
  };
}

/** Unknown, revoked or expired: said apart, so an integrator knows what to fix. */
async function whyRefused(db: Db, secretHash: string): Promise<AppError> {
  const [key] = await querySql<{ revoked: boolean; expiresAt: Date | null }>(db, Prisma.sql`
    SELECT ("revokedAt" IS NOT NULL) AS revoked, "expiresAt" AT TIME ZONE 'UTC' AS "expiresAt"
    FROM "ApiKey" WHERE "secretHash" = ${secretHash}`);
  if (!key) return new AppError("UNAUTHORIZED", `That API key is not valid. ${HOW_TO_SEND}`);
  if (key.revoked) return new AppError("UNAUTHORIZED", "This API key was revoked. Ask an admin for a new key.");
  return new AppError("UNAUTHORIZED", `This API key expired${key.expiresAt ? ` on ${key.expiresAt.toISOString()}` : ""}. Ask an admin for a new key.`);
}

/** The key of a REST request, holding `scope`; FORBIDDEN when it lacks it. */
export function requireApiScope(apiKey: ApiKeyPrincipal | null | undefined, scope: ApiScope): ApiKeyPrincipal {
  if (!apiKey) throw new AppError("UNAUTHORIZED", `This operation is for API keys. ${HOW_TO_SEND}`);
  if (!apiKey.scopes.includes(scope)) {
    throw new AppError("FORBIDDEN", `This API key lacks the scope "${scope}" (it has ${describeScopes(apiKey.scopes)}). Ask an admin for a key with it.`, {
      requiredScope: scope,
    });
  }
  return apiKey;
}

/** The id of what a REST mutation created or changed, for its audit entry. */
function targetIdOf(result: unknown): string | undefined {
  const value = result as { id?: unknown; lead?: { id?: unknown }; suppression?: { id?: unknown } } | null;
  const id = value?.id ?? value?.lead?.id ?? value?.suppression?.id;
  return typeof id === "string" ? id : undefined;
}

/** Every REST mutation writes one audit entry (action: its procedure path, "api.leads.create"): which key did what, on which request. */
export async function recordApiMutation(db: Db, apiKey: ApiKeyPrincipal, call: { path: string; requestId: string; result: unknown }) {
  await recordAudit(db, {
    orgId: apiKey.orgId,
    actorId: apiKey.userId,
    action: call.path,
    targetType: "api_key",
    targetId: apiKey.keyId,
    details: { keyPrefix: apiKey.prefix, operation: call.path, ...(targetIdOf(call.result) ? { resultId: targetIdOf(call.result) } : {}) },
    requestId: call.requestId,
  });
}
