import "server-only";
import { adminProcedure, apiProcedure, createTRPCRouter, managerProcedure, orgProcedure } from "../trpc";
import { restAddSuppressionInput } from "../public-api/schema";
import { getConsentSettings, listConsentEvents, recordConsent, updateConsentSettings } from "./consent";
import {
  consentSettingsOutput,
  listConsentInput,
  listConsentOutput,
  recordConsentInput,
  recordConsentOutput,
  updateConsentSettingsInput,
} from "./consent-schema";
import { listDecisions } from "./decision-log";
import {
  complianceRulesOutput,
  listDecisionsInput,
  listDecisionsOutput,
  preflightInput,
  preflightOutput,
  previewDecisionInput,
  previewDecisionOutput,
  updateComplianceRulesInput,
} from "./decisions-schema";
import { registryOverview, removeRegistryAreaCode } from "./dnc-registry";
import {
  addDncInput,
  addDncOutput,
  checkDncInput,
  checkDncOutput,
  importDncInput,
  importDncOutput,
  listDncInput,
  listDncOutput,
  registryOutput,
  removeAreaCodeInput,
  removeAreaCodeOutput,
  removeDncInput,
  removeDncOutput,
} from "./dnc-schema";
import { addDnc, checkNumber, importDnc, listDnc, removeDnc } from "./dnc-service";
import {
  addSuppressionInput,
  addSuppressionOutput,
  importSuppressionsInput,
  importSuppressionsOutput,
  liftSuppressionInput,
  liftSuppressionOutput,
  listSuppressionsInput,
  listSuppressionsOutput,
} from "./schema";
import { preflightSends } from "./preflight";
import { previewDecision } from "./preview";
import { getComplianceRules, updateComplianceRules } from "./rules";
import { addSuppression, importSuppressions, liftSuppression, listSuppressions } from "./suppressions-service";

/** The organization's suppression list ("Opt-outs"): any member reads and adds; managers lift and import. */
export const suppressionsRouter = createTRPCRouter({
  list: orgProcedure
    .input(listSuppressionsInput)
    .output(listSuppressionsOutput)
    .query(({ ctx, input }) => listSuppressions(ctx, input)),
  add: orgProcedure
    .input(addSuppressionInput)
    .output(addSuppressionOutput)
    .mutation(({ ctx, input }) => addSuppression(ctx, input)),
  lift: managerProcedure
    .input(liftSuppressionInput)
    .output(liftSuppressionOutput)
    .mutation(({ ctx, input }) => liftSuppression(ctx, input)),
  import: managerProcedure
    .input(importSuppressionsInput)
    .output(importSuppressionsOutput)
    .mutation(({ ctx, input }) => importSuppressions(ctx, input)),
});

/**
 * The do-not-contact lists (SPEC §6): managers read, add to the internal list (one by one or a CSV) and check a number;
 * admins remove entries and area codes (with a reason). Registry extracts upload over HTTP (api/compliance/dnc/registry).
 */
export const dncRouter = createTRPCRouter({
  list: managerProcedure
    .input(listDncInput)
    .output(listDncOutput)
    .query(({ ctx, input }) => listDnc(ctx, input)),
  add: managerProcedure
    .input(addDncInput)
    .output(addDncOutput)
    .mutation(({ ctx, input }) => addDnc(ctx, input)),
  remove: adminProcedure
    .input(removeDncInput)
    .output(removeDncOutput)
    .mutation(({ ctx, input }) => removeDnc(ctx, input)),
  import: managerProcedure
    .input(importDncInput)
    .output(importDncOutput)
    .mutation(({ ctx, input }) => importDnc(ctx, input)),
  check: managerProcedure
    .input(checkDncInput)
    .output(checkDncOutput)
    .mutation(({ ctx, input }) => checkNumber(ctx, input)),
  registry: managerProcedure.output(registryOutput).query(({ ctx }) => registryOverview(ctx)),
  removeAreaCode: adminProcedure
    .input(removeAreaCodeInput)
    .output(removeAreaCodeOutput)
    .mutation(({ ctx, input }) => removeRegistryAreaCode(ctx, input)),
});

/** Quiet hours, state rules and the frequency cap (admins edit; managers read and preview a decision). */
export const complianceRulesRouter = createTRPCRouter({
  get: managerProcedure.output(complianceRulesOutput).query(({ ctx }) => getComplianceRules(ctx)),
  update: adminProcedure
    .input(updateComplianceRulesInput)
    .output(complianceRulesOutput)
    .mutation(({ ctx, input }) => updateComplianceRules(ctx, input)),
  preview: managerProcedure
    .input(previewDecisionInput)
    .output(previewDecisionOutput)
    .query(({ ctx, input }) => previewDecision(ctx, input)),
});

/** The decision log: every send decision with its reason, rule and source (managers and admins). */
export const sendDecisionsRouter = createTRPCRouter({
  list: managerProcedure
    .input(listDecisionsInput)
    .output(listDecisionsOutput)
    .query(({ ctx, input }) => listDecisions(ctx, input)),
  /** A mutation: it records each DNC check as evidence. */
  preflight: managerProcedure
    .input(preflightInput)
    .output(preflightOutput)
    .mutation(({ ctx, input }) => preflightSends(ctx, input)),
});

/** The consent log: any member reads it; managers and admins record consent; admins change the setting. */
export const consentRouter = createTRPCRouter({
  list: orgProcedure
    .input(listConsentInput)
    .output(listConsentOutput)
    .query(({ ctx, input }) => listConsentEvents(ctx, input)),
  record: managerProcedure
    .input(recordConsentInput)
    .output(recordConsentOutput)
    .mutation(({ ctx, input }) => recordConsent(ctx, input)),
  settings: orgProcedure.output(consentSettingsOutput).query(({ ctx }) => getConsentSettings(ctx)),
  updateSettings: adminProcedure
    .input(updateConsentSettingsInput)
    .output(consentSettingsOutput)
    .mutation(({ ctx, input }) => updateConsentSettings(ctx, input)),
});

/** The public REST API's opt-out (/api/v1, issue 13 item 3): the same service as suppressions.add, for API keys. */
export const suppressionsRestRouter = createTRPCRouter({
  add: apiProcedure("suppressions:write")
    .meta({
      openapi: {
        method: "POST",
        path: "/suppressions",
        tags: ["Opt-outs"],
        summary: "Add a number to the opt-out list",
        description: "The number is never texted again by the organization. created is false when it was already on the list.",
      },
    })
    .input(restAddSuppressionInput)
    .output(addSuppressionOutput)
    .mutation(({ ctx, input }) => addSuppression(ctx, input)),
});
