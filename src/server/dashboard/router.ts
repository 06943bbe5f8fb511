import "server-only";
import { createTRPCRouter, orgProcedure } from "../trpc";
import { homeDashboardOutput } from "./schema";
import { homeDashboard } from "./service";

/** Home (issue 13 item 7): today's spend, leads, replies, campaigns and activity of the organization. */
export const dashboardRouter = createTRPCRouter({
  home: orgProcedure.output(homeDashboardOutput).query(({ ctx }) => homeDashboard(ctx)),
});
