import "server-only";
import { createTRPCRouter, orgProcedure, publicProcedure } from "../trpc";
import {
  acceptInviteInput,
  acceptInviteOutput,
  inviteInfoOutput,
  inviteTokenInput,
  meOutput,
  revokeSessionOutput,
  sessionIdInput,
  sessionsOutput,
  signOutEverywhereOutput,
  signUpInput,
  signUpOutput,
  requestPasswordResetInput,
  requestPasswordResetOutput,
  resetTokenInput,
  resetInfoOutput,
  resetPasswordInput,
  resetPasswordOutput,
  emailListInput,
  emailListOutput,
} from "./schema";
import * as account from "./service";
import { passwordResetInfo, requestPasswordReset, resetPassword } from "./password-reset";

export const accountRouter = createTRPCRouter({
  signUp: publicProcedure
    .input(signUpInput)
    .output(signUpOutput)
    .mutation(({ ctx, input }) => account.signUp(ctx.db, input, ctx.requestId)),
  inviteInfo: publicProcedure
    .input(inviteTokenInput)
    .output(inviteInfoOutput)
    .query(({ ctx, input }) => account.getInviteInfo(ctx.db, input.token)),
  acceptInvite: publicProcedure
    .input(acceptInviteInput)
    .output(acceptInviteOutput)
    .mutation(({ ctx, input }) => account.acceptInvite(ctx.db, input, ctx.requestId)),
  me: orgProcedure.output(meOutput).query(({ ctx }) => account.getMe(ctx.db, ctx.orgId, ctx.userId)),
  sessions: orgProcedure
    .output(sessionsOutput)
    .query(({ ctx }) => account.listSessions(ctx.db, ctx.userId, ctx.session?.sessionId)),
  revokeSession: orgProcedure
    .input(sessionIdInput)
    .output(revokeSessionOutput)
    .mutation(({ ctx, input }) => account.endOwnSession(ctx.db, ctx.userId, input.sessionId)),
  signOutEverywhere: orgProcedure
    .output(signOutEverywhereOutput)
    .mutation(({ ctx }) => account.signOutEverywhere(ctx.db, ctx.userId)),
  requestPasswordReset: publicProcedure
    .input(requestPasswordResetInput)
    .output(requestPasswordResetOutput)
    .mutation(({ ctx, input }) => requestPasswordReset(ctx.db, input, { ip: ctx.ip })),
  passwordResetInfo: publicProcedure
    .input(resetTokenInput)
    .output(resetInfoOutput)
    .query(({ ctx, input }) => passwordResetInfo(ctx.db, input.token)),
  resetPassword: publicProcedure
    .input(resetPasswordInput)
    .output(resetPasswordOutput)
    .mutation(({ ctx, input }) => resetPassword(ctx.db, input, ctx.requestId)),
  /** `npm run dev` only (LEADFLOW_DEV_OUTBOX=1): the emails that were not sent, readable signed out. */
  devOutbox: publicProcedure
    .input(emailListInput)
    .output(emailListOutput)
    .query(({ ctx, input }) => account.devOutbox(ctx.db, input.limit, ctx.ip)),
});
