import "server-only";
import { createTRPCRouter, managerProcedure, orgProcedure } from "../trpc";
import { leadThread, sendToLead } from "./conversations";
import { listReplyReviews, resolveReplyReview } from "./review";
import {
  leadThreadInput,
  leadThreadOutput,
  resolveReviewInput,
  resolveReviewOutput,
  reviewQueueInput,
  reviewQueueOutput,
  sendToLeadInput,
  sentMessageOutput,
  simulateReplyInput,
  simulateReplyOutput,
} from "./schema";
import { simulateReply } from "./simulate";

export const messagingRouter = createTRPCRouter({
  leadThread: orgProcedure.input(leadThreadInput).output(leadThreadOutput).query(({ ctx, input }) => leadThread(ctx, input.leadId)),
  sendToLead: orgProcedure.input(sendToLeadInput).output(sentMessageOutput).mutation(({ ctx, input }) => sendToLead(ctx, input)),
  simulateReply: orgProcedure.input(simulateReplyInput).output(simulateReplyOutput).mutation(({ ctx, input }) => simulateReply(ctx, input)),
  reviewQueue: managerProcedure.input(reviewQueueInput).output(reviewQueueOutput).query(({ ctx, input }) => listReplyReviews(ctx, input)),
  resolveReview: managerProcedure.input(resolveReviewInput).output(resolveReviewOutput).mutation(({ ctx, input }) => resolveReplyReview(ctx, input)),
});
