import "server-only";
import { createTRPCRouter, orgProcedure } from "../trpc";
import { listSavedFiltersOutput, okOutput, savedFilterIdInput, savedFilterOutput, saveFilterInput } from "./schema";
import { deleteSavedFilter, getSavedFilter, listSavedFilters, saveFilter } from "./service";

/** Saved lead-list filters, shared by the organization: every member may save and use them. */
export const savedFiltersRouter = createTRPCRouter({
  list: orgProcedure.output(listSavedFiltersOutput).query(({ ctx }) => listSavedFilters(ctx)),
  get: orgProcedure.input(savedFilterIdInput).output(savedFilterOutput).query(({ ctx, input }) => getSavedFilter(ctx, input.id)),
  save: orgProcedure.input(saveFilterInput).output(savedFilterOutput).mutation(({ ctx, input }) => saveFilter(ctx, input)),
  delete: orgProcedure.input(savedFilterIdInput).output(okOutput).mutation(({ ctx, input }) => deleteSavedFilter(ctx, input.id)),
});
