import "server-only";
import type { z } from "zod";
import { assertRole } from "../auth/membership";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";
import { recordActivities } from "../lead-records/activity";
import type { addNoteInput, updateNoteInput } from "./schema";
import { assertLead, personSelect } from "./service";

/** The notes router's service: notes on a lead; an author edits their own, a manager any. */

export async function addNote(ctx: ServiceContext, input: z.output<typeof addNoteInput>) {
  await assertLead(ctx.db, ctx.orgId, input.leadId);
  const note = await ctx.db.$transaction(async (tx) => {
    const created = await tx.note.create({ data: { organizationId: ctx.orgId, leadId: input.leadId, authorId: ctx.userId, body: input.body }, select: { id: true } });
    await recordActivities(tx, [{ orgId: ctx.orgId, leadId: input.leadId, actorId: ctx.userId, kind: "note_added", details: { noteId: created.id } }]);
    return created;
  });
  return ctx.db.note.findUniqueOrThrow({ where: { id: note.id }, select: { id: true, body: true, createdAt: true, updatedAt: true, author: personSelect } });
}

async function ownNoteOrManager(ctx: ServiceContext, id: string) {
  const note = await ctx.db.note.findFirst({ where: { id, organizationId: ctx.orgId }, select: { id: true, authorId: true } });
  if (!note) throw notFound("That note");
  if (note.authorId !== ctx.userId) assertRole(ctx.role, "manager");
  return note;
}

export async function updateNote(ctx: ServiceContext, input: z.output<typeof updateNoteInput>) {
  await ownNoteOrManager(ctx, input.id);
  return ctx.db.note.update({ where: { id: input.id }, data: { body: input.body }, select: { id: true, body: true, createdAt: true, updatedAt: true, author: personSelect } });
}

export async function deleteNote(ctx: ServiceContext, id: string) {
  await ownNoteOrManager(ctx, id);
  await ctx.db.note.delete({ where: { id } });
  return { ok: true as const };
}
