import "server-only";
import { createTRPCRouter, orgProcedure } from "../trpc";
import { leadColumnsOutput, setLeadColumnsInput } from "./schema";
import { leadColumns, setLeadColumns } from "./service";

/** The signed-in user's own preferences in their organization. */
export const preferencesRouter = createTRPCRouter({
  leadColumns: orgProcedure.output(leadColumnsOutput).query(({ ctx }) => leadColumns(ctx)),
  setLeadColumns: orgProcedure.input(setLeadColumnsInput).output(leadColumnsOutput).mutation(({ ctx, input }) => setLeadColumns(ctx, input.columns)),
});
