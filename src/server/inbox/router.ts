import "server-only";
import { createTRPCRouter, orgProcedure } from "../trpc";
import {
  assignInput,
  cancelScheduledInput,
  replyCheckOutput,
  replyInput,
  replyOutput,
  scheduleReplyInput,
  scheduleReplyOutput,
  setLeadStatusInput,
  setLeadStatusOutput,
  threadIdInput,
  threadInput,
  threadOutput,
  threadsInput,
  threadsOutput,
  threadStateOutput,
  unreadCountOutput,
  cancelScheduledOutput,
  assistantOutput,
  suggestReplyOutput,
} from "./schema";
import { defaultReplyAssistant, suggestReply } from "./reply-assistant";
import {
  archiveThread,
  assignThread,
  cancelScheduledReply,
  getThread,
  listThreads,
  markRead,
  markUnread,
  reply,
  replyCheck,
  scheduleReply,
  setThreadLeadStatus,
  unreadThreadCount,
} from "./service";

/** The organization's shared inbox: threads per lead phone, their state, and replies through the one send path. */
export const inboxRouter = createTRPCRouter({
  threads: orgProcedure.input(threadsInput).output(threadsOutput).query(({ ctx, input }) => listThreads(ctx, input)),
  thread: orgProcedure.input(threadInput).output(threadOutput).query(({ ctx, input }) => getThread(ctx, input)),
  unreadCount: orgProcedure.output(unreadCountOutput).query(({ ctx }) => unreadThreadCount(ctx)),
  markRead: orgProcedure.input(threadIdInput).output(threadStateOutput).mutation(({ ctx, input }) => markRead(ctx, input.id)),
  markUnread: orgProcedure.input(threadIdInput).output(threadStateOutput).mutation(({ ctx, input }) => markUnread(ctx, input.id)),
  assign: orgProcedure.input(assignInput).output(threadStateOutput).mutation(({ ctx, input }) => assignThread(ctx, input)),
  archive: orgProcedure.input(threadIdInput).output(threadStateOutput).mutation(({ ctx, input }) => archiveThread(ctx, input.id, true)),
  unarchive: orgProcedure.input(threadIdInput).output(threadStateOutput).mutation(({ ctx, input }) => archiveThread(ctx, input.id, false)),
  setLeadStatus: orgProcedure.input(setLeadStatusInput).output(setLeadStatusOutput).mutation(({ ctx, input }) => setThreadLeadStatus(ctx, input)),
  replyCheck: orgProcedure.input(threadIdInput).output(replyCheckOutput).query(({ ctx, input }) => replyCheck(ctx, input.id)),
  reply: orgProcedure.input(replyInput).output(replyOutput).mutation(({ ctx, input }) => reply(ctx, input)),
  scheduleReply: orgProcedure.input(scheduleReplyInput).output(scheduleReplyOutput).mutation(({ ctx, input }) => scheduleReply(ctx, input)),
  cancelScheduled: orgProcedure.input(cancelScheduledInput).output(cancelScheduledOutput).mutation(({ ctx, input }) => cancelScheduledReply(ctx, input)),
  assistant: orgProcedure.output(assistantOutput).query(() => ({ suggestions: defaultReplyAssistant() !== null })),
  /** A draft from OpenAI for the user to edit; never sent by itself. */
  suggestReply: orgProcedure.input(threadIdInput).output(suggestReplyOutput).mutation(({ ctx, input }) => suggestReply(ctx, input.id)),
});
