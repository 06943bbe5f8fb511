import "server-only";
import { createTRPCRouter, orgProcedure } from "../trpc";
import { pipelineSummaryInput, pipelineSummaryOutput } from "./schema";
import { pipelineSummary } from "./service";

/** The pipeline board's money: deal value per stage and the forecast of open value. */
export const pipelineRouter = createTRPCRouter({
  summary: orgProcedure.input(pipelineSummaryInput).output(pipelineSummaryOutput).query(({ ctx, input }) => pipelineSummary(ctx, input.filters)),
});
