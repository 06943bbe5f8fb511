import "server-only";
import type { Db, Prisma } from "../db";

export type AuditEntry = {
  orgId: string;
  actorId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Prisma.InputJsonValue;
  requestId?: string;
};

type AuditWriter = Pick<Db, "auditLog">;

/** Every admin action writes one row; pass the transaction client to keep it atomic with the change. */
export async function recordAudit(db: AuditWriter, entry: AuditEntry) {
  await db.auditLog.create({
    data: {
      organizationId: entry.orgId,
      actorId: entry.actorId,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      details: entry.details,
      requestId: entry.requestId,
    },
  });
}
