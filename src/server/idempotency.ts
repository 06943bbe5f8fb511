import "server-only";
import { stableStringify } from "@/lib/stable-json";
import { createHash } from "node:crypto";
import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "./db";
import { AppError, isUniqueViolation } from "./errors";

const TTL_MS = 24 * 3_600_000;


export const requestHash = (payload: unknown) => createHash("sha256").update(stableStringify(payload)).digest("hex");

/**
 * Runs `work` once per (organization, scope, key) for 24 h: a retry with the same key and
 * payload gets the first result back, the same key with another payload is a CONFLICT.
 */
export async function withIdempotency<T extends Prisma.InputJsonValue>(
  db: Db,
  scope: { orgId: string; scope: string; key: string; payload: unknown },
  work: () => Promise<T>,
): Promise<{ result: T; replayed: boolean }> {
  const hash = requestHash(scope.payload);
  const id = { organizationId_scope_key: { organizationId: scope.orgId, scope: scope.scope, key: scope.key } };
  for (let attempt = 0; attempt < 2; attempt++) {
    const claimed = await db.idempotencyKey
      .create({
        data: { organizationId: scope.orgId, scope: scope.scope, key: scope.key, requestHash: hash, expiresAt: new Date(Date.now() + TTL_MS) },
      })
      .then(
        () => true,
        (error: unknown) => {
          if (isUniqueViolation(error)) return false;
          throw error;
        },
      );
    if (claimed) {
      try {
        const result = await work();
        await db.idempotencyKey.update({ where: id, data: { response: result } });
        return { result, replayed: false };
      } catch (error) {
        await db.idempotencyKey.delete({ where: id }).catch(() => undefined);
        throw error;
      }
    }
    const existing = await db.idempotencyKey.findUnique({ where: id });
    if (!existing) continue;
    if (existing.expiresAt.getTime() <= Date.now()) {
      await db.idempotencyKey.deleteMany({ where: { ...id.organizationId_scope_key, expiresAt: existing.expiresAt } });
      continue;
    }
    if (existing.requestHash !== hash) {
      throw new AppError("CONFLICT", "This idempotency key was already used for a different request. Use a new key for a new request.");
    }
    if (existing.response === null) {
      throw new AppError("CONFLICT", "A request with this idempotency key is still being processed. Retry in a moment.");
    }
    return { result: existing.response as T, replayed: true };
  }
  throw new AppError("CONFLICT", "Could not claim the idempotency key; retry the request.");
}

const EXPIRY_BATCH = 1000;

/** Deletes keys past their 24 h life (withIdempotency already treats them as absent). */
export async function deleteExpiredIdempotencyKeys(db: Db, now = new Date()): Promise<number> {
  let deleted = 0;
  for (;;) {
    const count = await db.$executeRaw`
      DELETE FROM "IdempotencyKey" WHERE ("organizationId", "scope", "key") IN (
        SELECT "organizationId", "scope", "key" FROM "IdempotencyKey" WHERE "expiresAt" < ${now} LIMIT ${EXPIRY_BATCH})`;
    deleted += count;
    if (count < EXPIRY_BATCH) return deleted;
  }
}
