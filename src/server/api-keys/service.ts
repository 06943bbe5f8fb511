import "server-only";
import type { z } from "zod";
import { generateApiKey } from "../auth/api-keys";
import { recordAudit } from "../audit/record";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";
import type { apiKeyOutput, createApiKeyInput } from "./schema";

const DAY_MS = 24 * 60 * 60 * 1000;

const keySelect = {
  id: true,
  name: true,
  prefix: true,
  scopes: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
  rateLimitPerMinute: true,
  createdBy: { select: { id: true, name: true, email: true } },
} as const;

type KeyRow = { id: string; name: string; prefix: string; scopes: string[]; createdAt: Date; expiresAt: Date | null; lastUsedAt: Date | null; revokedAt: Date | null; rateLimitPerMinute: number; createdBy: { id: string; name: string | null; email: string } | null };

function toOutput(row: KeyRow, now = new Date()): z.output<typeof apiKeyOutput> {
  const status = row.revokedAt ? "revoked" : row.expiresAt && row.expiresAt <= now ? "expired" : "active";
  return { ...row, status };
}

/** The organization's keys, newest first (revoked ones too: the list is their history). */
export async function listApiKeys(ctx: Pick<ServiceContext, "db" | "orgId">) {
  const rows = await ctx.db.apiKey.findMany({ where: { organizationId: ctx.orgId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: keySelect, take: 500 });
  return rows.map((row) => toOutput(row));
}

/** A new key: the whole key is returned once; only its hash is stored. Audited with the change. */
export async function createApiKey(ctx: ServiceContext, input: z.output<typeof createApiKeyInput>) {
  const { key, prefix, secretHash } = generateApiKey();
  const scopes = [...new Set(input.scopes)];
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * DAY_MS) : null;
  const row = await ctx.db.$transaction(async (tx) => {
    const created = await tx.apiKey.create({
      data: { organizationId: ctx.orgId, name: input.name, prefix, secretHash, scopes, expiresAt, rateLimitPerMinute: input.rateLimitPerMinute, createdById: ctx.userId },
      select: keySelect,
    });
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actorId: ctx.userId,
      action: "api_key.created",
      targetType: "api_key",
      targetId: created.id,
      details: { name: input.name, prefix, scopes, expiresAt: expiresAt?.toISOString() ?? null, rateLimitPerMinute: input.rateLimitPerMinute },
      requestId: ctx.requestId,
    });
    return created;
  });
  return { key, apiKey: toOutput(row) };
}

/** Revokes a key of the organization; its next request is refused. Revoking a revoked key changes nothing. */
export async function revokeApiKey(ctx: ServiceContext, id: string) {
  return ctx.db.$transaction(async (tx) => {
    const revoked = await tx.apiKey.updateMany({ where: { id, organizationId: ctx.orgId, revokedAt: null }, data: { revokedAt: new Date(), revokedById: ctx.userId } });
    const row = await tx.apiKey.findFirst({ where: { id, organizationId: ctx.orgId }, select: keySelect });
    if (!row) throw notFound("API key");
    if (revoked.count > 0) {
      await recordAudit(tx, {
        orgId: ctx.orgId,
        actorId: ctx.userId,
        action: "api_key.revoked",
        targetType: "api_key",
        targetId: row.id,
        details: { name: row.name, prefix: row.prefix },
        requestId: ctx.requestId,
      });
    }
    return toOutput(row);
  });
}
