import "server-only";
import { accountRouter } from "./account/router";
import { analyticsRouter } from "./analytics/router";
import { auditRouter, budgetsRouter, killSwitchesRouter, organizationRouter, providersRouter, usersRouter } from "./admin/router";
import { apiKeysRouter } from "./api-keys/router";
import { webhooksRouter } from "./webhooks/router";
import { automationRouter } from "./automation/router";
import { campaignsRestRouter, campaignsRouter } from "./campaigns/router";
import { realtimeRouter } from "./realtime/router";
import { complianceRulesRouter, consentRouter, dncRouter, sendDecisionsRouter, suppressionsRestRouter, suppressionsRouter } from "./compliance/router";
import { messagingRouter } from "./messaging/router";
import { notificationsRouter } from "./notifications/router";
import { preferencesRouter } from "./preferences/router";
import { smsSettingsRouter } from "./messaging/settings/router";
import { savedFiltersRouter } from "./saved-filters/router";
import { savedRepliesRouter } from "./saved-replies/router";
import { searchRouter } from "./search/router";
import { inboxRouter } from "./inbox/router";
import { globalSearchRouter } from "./global-search/router";
import { importsRouter } from "./leads/import/router";
import { leadsRestRouter, leadsRouter, notesRestRouter, notesRouter, tagsRestRouter, tagsRouter } from "./leads/router";
import { skipTraceRouter } from "./skip-trace/router";
import { tasksRouter } from "./tasks/router";
import { pipelineRouter } from "./pipeline/router";
import { dashboardRouter } from "./dashboard/router";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  account: accountRouter,
  organization: organizationRouter,
  users: usersRouter,
  audit: auditRouter,
  budgets: budgetsRouter,
  killSwitches: killSwitchesRouter,
  providers: providersRouter,
  search: searchRouter,
  leads: leadsRouter,
  notes: notesRouter,
  tags: tagsRouter,
  skipTrace: skipTraceRouter,
  imports: importsRouter,
  messaging: messagingRouter,
  smsSettings: smsSettingsRouter,
  suppressions: suppressionsRouter,
  complianceRules: complianceRulesRouter,
  sendDecisions: sendDecisionsRouter,
  dnc: dncRouter,
  consent: consentRouter,
  savedFilters: savedFiltersRouter,
  savedReplies: savedRepliesRouter,
  campaigns: campaignsRouter,
  automation: automationRouter,
  realtime: realtimeRouter,
  inbox: inboxRouter,
  notifications: notificationsRouter,
  apiKeys: apiKeysRouter,
  tasks: tasksRouter,
  pipeline: pipelineRouter,
  dashboard: dashboardRouter,
  webhooks: webhooksRouter,
  analytics: analyticsRouter,
  globalSearch: globalSearchRouter,
  preferences: preferencesRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);

/**
 * The public REST API (/api/v1, issue 13 item 3): API-key procedures only, served by trpc-to-openapi
 * from app/api/v1 and never mounted on /api/trpc — a key reaches these operations and nothing else.
 */
export const publicApiRouter = createTRPCRouter({
  // Under "api": procedure paths (metrics labels, audit actions) never read as the app's own.
  api: createTRPCRouter({
    leads: leadsRestRouter,
    tags: tagsRestRouter,
    notes: notesRestRouter,
    campaigns: campaignsRestRouter,
    suppressions: suppressionsRestRouter,
  }),
});

export type PublicApiRouter = typeof publicApiRouter;
