import "server-only";
import { createTRPCRouter, managerProcedure, orgProcedure } from "../trpc";
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
