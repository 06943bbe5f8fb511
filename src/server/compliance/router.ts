import "server-only";
import { adminProcedure, createTRPCRouter, managerProcedure, orgProcedure } from "../trpc";
import { registryOverview } from "./dnc-registry";
import {
  addDncInput,
  addDncOutput,
  checkDncInput,
  checkDncOutput,
  listDncInput,
  listDncOutput,
  registryOutput,
  removeDncInput,
  removeDncOutput,
} from "./dnc-schema";
import { addDnc, checkNumber, listDnc, removeDnc } from "./dnc-service";
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
 * The do-not-contact lists (SPEC §6): managers read, add to the internal list and check a number;
 * admins remove (with a reason). Registry extracts upload over HTTP (api/compliance/dnc/registry).
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
  check: managerProcedure
    .input(checkDncInput)
    .output(checkDncOutput)
    .mutation(({ ctx, input }) => checkNumber(ctx, input)),
  registry: managerProcedure.output(registryOutput).query(({ ctx }) => registryOverview(ctx)),
});
