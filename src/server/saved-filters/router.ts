import "server-only";
import { createTRPCRouter, orgProcedure } from "../trpc";
import { listSavedFiltersOutput, okOutput, savedFilterCountsOutput, savedFilterIdInput, savedFilterOutput, saveFilterInput } from "./schema";
import { deleteSavedFilter, getSavedFilter, listSavedFilters, saveFilter, savedFilterCounts } from "./service";

/** Saved lead-list filters, shared by the organization: every member may save and use them. */
export const savedFiltersRouter = createTRPCRouter({
  list: orgProcedure.output(listSavedFiltersOutput).query(({ ctx }) => listSavedFilters(ctx)),
  /** Each saved list's live count of matching leads. */
  counts: orgProcedure.output(savedFilterCountsOutput).query(({ ctx }) => savedFilterCounts(ctx)),
  get: orgProcedure.input(savedFilterIdInput).output(savedFilterOutput).query(({ ctx, input }) => getSavedFilter(ctx, input.id)),
  save: orgProcedure.input(saveFilterInput).output(savedFilterOutput).mutation(({ ctx, input }) => saveFilter(ctx, input)),
  delete: orgProcedure.input(savedFilterIdInput).output(okOutput).mutation(({ ctx, input }) => deleteSavedFilter(ctx, input.id)),
});
