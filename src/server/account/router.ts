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
} from "./schema";
import * as account from "./service";

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
});
