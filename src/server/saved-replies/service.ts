import "server-only";
import type { z } from "zod";
import { savedReplySegments } from "@/lib/saved-replies";
import type { ServiceContext } from "../context";
import { AppError, isUniqueViolation } from "../errors";
import type { listSavedRepliesOutput, saveSavedReplyInput, savedReplyOutput } from "./schema";

type Ctx = Pick<ServiceContext, "db" | "orgId" | "userId" | "role">;
type SavedReply = z.output<typeof savedReplyOutput>;

/** An organization's library stays small enough to list in one go in the reply box. */
export const MAX_SAVED_REPLIES_PER_ORGANIZATION = 500;

const select = {
  id: true,
  name: true,
  body: true,
  createdAt: true,
  updatedAt: true,
  createdBy: { select: { id: true, name: true, email: true } },
} as const;

type Row = { id: string; name: string; body: string; createdAt: Date; updatedAt: Date; createdBy: { id: string; name: string | null; email: string } | null };

function toOutput(row: Row): SavedReply {
  const count = savedReplySegments(row.body);
  return {
    id: row.id,
    name: row.name,
    body: row.body,
    segments: count.segments,
    encoding: count.encoding,
    createdBy: row.createdBy ? { id: row.createdBy.id, name: row.createdBy.name ?? row.createdBy.email } : null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

const gone = () => new AppError("NOT_FOUND", "That saved reply no longer exists: someone may have deleted it. Reload the list.");
const nameTaken = (name: string) =>
  new AppError("CONFLICT", `A saved reply named "${name}" already exists. Choose another name, or edit that one.`, { field: "name" });

export async function listSavedReplies(ctx: Ctx): Promise<z.output<typeof listSavedRepliesOutput>> {
  const rows = await ctx.db.savedReply.findMany({ where: { organizationId: ctx.orgId }, orderBy: { name: "asc" }, select, take: MAX_SAVED_REPLIES_PER_ORGANIZATION });
  return { replies: rows.map(toOutput), canEdit: ctx.role === "manager" || ctx.role === "admin" };
}

/** Creates (no id) or updates (id) a saved reply; names are unique per organization (case as typed). */
export async function saveSavedReply(ctx: Ctx, input: z.output<typeof saveSavedReplyInput>): Promise<SavedReply> {
  try {
    if (input.id) {
      const { count } = await ctx.db.savedReply.updateMany({ where: { id: input.id, organizationId: ctx.orgId }, data: { name: input.name, body: input.body } });
      if (count === 0) throw gone();
      return toOutput(await ctx.db.savedReply.findFirstOrThrow({ where: { id: input.id, organizationId: ctx.orgId }, select }));
    }
    const count = await ctx.db.savedReply.count({ where: { organizationId: ctx.orgId } });
    if (count >= MAX_SAVED_REPLIES_PER_ORGANIZATION) {
      throw new AppError("PRECONDITION_FAILED", `An organization can keep at most ${MAX_SAVED_REPLIES_PER_ORGANIZATION} saved replies; delete one you no longer use first.`);
    }
    return toOutput(await ctx.db.savedReply.create({ data: { organizationId: ctx.orgId, name: input.name, body: input.body, createdById: ctx.userId }, select }));
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(input.name);
    throw error;
  }
}

export async function deleteSavedReply(ctx: Ctx, id: string): Promise<{ ok: true }> {
  const { count } = await ctx.db.savedReply.deleteMany({ where: { id, organizationId: ctx.orgId } });
  if (count === 0) throw gone();
  return { ok: true };
}
