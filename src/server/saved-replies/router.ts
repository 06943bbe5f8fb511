import "server-only";
import { createTRPCRouter, managerProcedure, orgProcedure } from "../trpc";
import { listSavedRepliesOutput, okOutput, saveSavedReplyInput, savedReplyIdInput, savedReplyOutput } from "./schema";
import { deleteSavedReply, listSavedReplies, saveSavedReply } from "./service";

/** Saved replies, shared by the organization: every member lists them; managers and admins write them. */
export const savedRepliesRouter = createTRPCRouter({
  list: orgProcedure.output(listSavedRepliesOutput).query(({ ctx }) => listSavedReplies(ctx)),
  save: managerProcedure.input(saveSavedReplyInput).output(savedReplyOutput).mutation(({ ctx, input }) => saveSavedReply(ctx, input)),
  delete: managerProcedure.input(savedReplyIdInput).output(okOutput).mutation(({ ctx, input }) => deleteSavedReply(ctx, input.id)),
});
