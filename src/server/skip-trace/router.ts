import "server-only";
import { createTRPCRouter, managerProcedure, orgProcedure } from "../trpc";
import { estimateInput, estimateOutput, historyOutput, jobIdInput, jobOutput, jobsOutput, runInput, runOutput, startBulkInput, validatePhonesInput, validatePhonesOutput } from "./schema";
import * as skipTrace from "./service";
import { validatePhones } from "./validate";

export const skipTraceRouter = createTRPCRouter({
  estimate: managerProcedure.input(estimateInput).output(estimateOutput).query(({ ctx, input }) => skipTrace.skipTraceEstimate(ctx, input.leadId)),
  run: managerProcedure.input(runInput).output(runOutput).mutation(({ ctx, input }) => skipTrace.skipTraceLead(ctx, input)),
  history: orgProcedure.input(estimateInput).output(historyOutput).query(({ ctx, input }) => skipTrace.skipTraceHistory(ctx, input.leadId)),
  startBulk: managerProcedure.input(startBulkInput).output(jobOutput).mutation(({ ctx, input }) => skipTrace.startBulkSkipTrace(ctx, input)),
  job: managerProcedure.input(jobIdInput).output(jobOutput).query(({ ctx, input }) => skipTrace.getBulkJob(ctx, input.id)),
  jobs: managerProcedure.output(jobsOutput).query(({ ctx }) => skipTrace.listBulkJobs(ctx)),
  validatePhones: managerProcedure
    .input(validatePhonesInput)
    .output(validatePhonesOutput)
    .mutation(({ ctx, input }) => validatePhones(ctx, input)),
  cancel: managerProcedure.input(jobIdInput).output(jobOutput).mutation(({ ctx, input }) => skipTrace.cancelBulkJob(ctx, input.id)),
});
