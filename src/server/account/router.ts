import "server-only";
import { createTRPCRouter, orgProcedure, publicProcedure } from "../trpc";
import {
  acceptInviteInput,
  acceptInviteOutput,
  inviteInfoOutput,
  inviteTokenInput,
  meOutput,
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
});
