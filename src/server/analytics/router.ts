import "server-only";
import { createTRPCRouter, managerProcedure } from "../trpc";
import { analyticsOverviewOutput, analyticsRangeInput, usageOutput } from "./schema";
import { analyticsOverview, usageThisMonth } from "./service";

/** Analytics (issue 13 items 1 and 6): managers and admins. */
export const analyticsRouter = createTRPCRouter({
  overview: managerProcedure
    .input(analyticsRangeInput)
    .output(analyticsOverviewOutput)
    .query(({ ctx, input }) => analyticsOverview(ctx, input)),
  usage: managerProcedure.output(usageOutput).query(({ ctx }) => usageThisMonth(ctx)),
});
