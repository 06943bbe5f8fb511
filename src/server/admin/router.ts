import "server-only";
import { adminProcedure, createTRPCRouter, orgProcedure } from "../trpc";
import {
  changeRoleInput,
  inviteIdInput,
  inviteUserInput,
  inviteUserOutput,
  listAuditInput,
  listAuditOutput,
  listUsersOutput,
  okOutput,
  organizationOutput,
  updateOrganizationInput,
  userIdInput,
} from "./schema";
import * as admin from "./service";

export const organizationRouter = createTRPCRouter({
  get: orgProcedure.output(organizationOutput).query(({ ctx }) => admin.getOrganization(ctx)),
  update: adminProcedure
    .input(updateOrganizationInput)
    .output(organizationOutput)
    .mutation(({ ctx, input }) => admin.updateOrganization(ctx, input)),
});

export const usersRouter = createTRPCRouter({
  list: adminProcedure.output(listUsersOutput).query(({ ctx }) => admin.listUsers(ctx)),
  invite: adminProcedure
    .input(inviteUserInput)
    .output(inviteUserOutput)
    .mutation(({ ctx, input }) => admin.inviteUser(ctx, input)),
  revokeInvite: adminProcedure
    .input(inviteIdInput)
    .output(okOutput)
    .mutation(({ ctx, input }) => admin.revokeInvite(ctx, input.inviteId)),
  changeRole: adminProcedure
    .input(changeRoleInput)
    .output(okOutput)
    .mutation(({ ctx, input }) => admin.changeRole(ctx, input)),
  deactivate: adminProcedure
    .input(userIdInput)
    .output(okOutput)
    .mutation(({ ctx, input }) => admin.setActive(ctx, input.userId, false)),
  reactivate: adminProcedure
    .input(userIdInput)
    .output(okOutput)
    .mutation(({ ctx, input }) => admin.setActive(ctx, input.userId, true)),
});

export const auditRouter = createTRPCRouter({
  list: adminProcedure
    .input(listAuditInput)
    .output(listAuditOutput)
    .query(({ ctx, input }) => admin.listAudit(ctx, input)),
});
