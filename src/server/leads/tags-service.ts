import "server-only";
import type { z } from "zod";
import type { ServiceContext } from "../context";
import { Prisma } from "@/generated/prisma/client";
import { querySql } from "../db";
import { AppError, isUniqueViolation, notFound } from "../errors";
import type { createTagInput, updateTagInput } from "./schema";

/** The tags router's service: the organization's tag list (attaching tags is the leads router's). */

/** One prepared statement on the pool: the leads page prefetches this on every render. */
export async function listTags(ctx: Pick<ServiceContext, "db" | "orgId">) {
  return querySql<{ id: string; name: string; color: string; leadCount: number }>(
    ctx.db,
    Prisma.sql`SELECT t."id", t."name", t."color", (SELECT count(*)::int FROM "LeadTag" lt WHERE lt."tagId" = t."id") AS "leadCount"
      FROM "Tag" t WHERE t."organizationId" = ${ctx.orgId} ORDER BY t."name" ASC, t."id"`,
  );
}

export async function createTag(ctx: ServiceContext, input: z.output<typeof createTagInput>) {
  return ctx.db.tag
    .create({ data: { organizationId: ctx.orgId, name: input.name, color: input.color }, select: { id: true, name: true, color: true } })
    .catch((error: unknown) => {
      if (isUniqueViolation(error)) throw new AppError("CONFLICT", `A tag named "${input.name}" already exists.`);
      throw error;
    });
}

export async function updateTag(ctx: ServiceContext, input: z.output<typeof updateTagInput>) {
  const tag = await ctx.db.tag.findFirst({ where: { id: input.id, organizationId: ctx.orgId }, select: { id: true } });
  if (!tag) throw notFound("That tag");
  return ctx.db.tag
    .update({ where: { id: tag.id }, data: { name: input.name, color: input.color }, select: { id: true, name: true, color: true } })
    .catch((error: unknown) => {
      if (isUniqueViolation(error)) throw new AppError("CONFLICT", `A tag named "${input.name}" already exists.`);
      throw error;
    });
}

export async function deleteTag(ctx: ServiceContext, id: string) {
  const deleted = await ctx.db.tag.deleteMany({ where: { id, organizationId: ctx.orgId } });
  if (deleted.count === 0) throw notFound("That tag");
  return { ok: true as const };
}
