import "server-only";
import { adminProcedure, createTRPCRouter, orgProcedure } from "../trpc";
import {
  changeRoleInput,
  inviteIdInput,
  inviteUserInput,
  inviteUserOutput,
  auditFacetsOutput,
  listAuditInput,
  listAuditOutput,
  listUsersOutput,
  okOutput,
  organizationOutput,
  skipTraceSettingsOutput,
  updateOrganizationInput,
  updateOrganizationOutput,
  updateSkipTraceSettingsInput,
  userIdInput,
} from "./schema";
import * as admin from "./service";
import { emailListInput, emailListOutput } from "../account/schema";
import { budgetOverviewOutput, killSwitchListOutput, providerStatusOutput, resetBudgetInput, setKillSwitchInput, updateBudgetInput } from "./budget-schema";
import { providerStatus } from "./provider-status";
import { listKillSwitches } from "../budget/kill-switches";
import { budgetOverview, resetBudgetToDefaults, updateBudget } from "../budget/overview";

export const organizationRouter = createTRPCRouter({
  get: orgProcedure.output(organizationOutput).query(({ ctx }) => admin.getOrganization(ctx)),
  update: adminProcedure
    .input(updateOrganizationInput)
    .output(updateOrganizationOutput)
    .mutation(({ ctx, input }) => admin.updateOrganization(ctx, input)),
  skipTraceSettings: orgProcedure.output(skipTraceSettingsOutput).query(({ ctx }) => admin.getSkipTraceSettings(ctx)),
  updateSkipTraceSettings: adminProcedure
    .input(updateSkipTraceSettingsInput)
    .output(skipTraceSettingsOutput)
    .mutation(({ ctx, input }) => admin.updateSkipTraceSettings(ctx, input)),
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
  facets: adminProcedure.output(auditFacetsOutput).query(({ ctx }) => admin.auditFacets(ctx)),
  /** The organization's emails (invites) and what became of each. */
  emails: adminProcedure
    .input(emailListInput)
    .output(emailListOutput)
    .query(({ ctx, input }) => admin.listOrganizationEmailLog(ctx, input.limit)),
});

export const budgetsRouter = createTRPCRouter({
  overview: adminProcedure.output(budgetOverviewOutput).query(({ ctx }) => budgetOverview(ctx.db, ctx.orgId)),
  update: adminProcedure
    .input(updateBudgetInput)
    .output(budgetOverviewOutput)
    .mutation(({ ctx, input }) => updateBudget(ctx.db, ctx, input)),
  /** Back to the provider's default cap and unit price, followed from now on. */
  resetToDefaults: adminProcedure
    .input(resetBudgetInput)
    .output(budgetOverviewOutput)
    .mutation(({ ctx, input }) => resetBudgetToDefaults(ctx.db, ctx, input)),
});

export const killSwitchesRouter = createTRPCRouter({
  list: orgProcedure.output(killSwitchListOutput).query(({ ctx }) => listKillSwitches(ctx.db, ctx.orgId)),
  set: adminProcedure
    .input(setKillSwitchInput)
    .output(killSwitchListOutput)
    .mutation(({ ctx, input }) => admin.flipKillSwitch(ctx, input)),
});

export const providersRouter = createTRPCRouter({
  status: adminProcedure.output(providerStatusOutput).query(({ ctx }) => providerStatus(ctx.db, ctx.orgId)),
});
