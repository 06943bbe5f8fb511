import "server-only";
import { createTRPCRouter, managerProcedure } from "../trpc";
import {
  addToLeadsInput,
  addToLeadsOutput,
  inLeadsInput,
  inLeadsOutput,
  resolvePlaceInput,
  resolvePlaceOutput,
  searchContextOutput,
  searchHistoryInput,
  searchHistoryOutput,
  searchInput,
  searchOutput,
} from "./schema";
import * as search from "./service";

export const searchRouter = createTRPCRouter({
  context: managerProcedure.output(searchContextOutput).query(({ ctx }) => search.searchContext(ctx)),
  run: managerProcedure
    .input(searchInput)
    .output(searchOutput)
    .mutation(({ ctx, input }) => search.searchProperties(ctx, input)),
  /** A city or county → its place (or the choices, or its ZIPs); may pay for one lookup. */
  resolvePlace: managerProcedure
    .input(resolvePlaceInput)
    .output(resolvePlaceOutput)
    .mutation(({ ctx, input }) => search.resolveSearchPlace(ctx, input.location)),
  addToLeads: managerProcedure
    .input(addToLeadsInput)
    .output(addToLeadsOutput)
    .mutation(({ ctx, input }) => search.addSearchResultsToLeads(ctx, input)),
  inLeads: managerProcedure
    .input(inLeadsInput)
    .output(inLeadsOutput)
    .query(({ ctx, input }) => search.searchResultsInLeads(ctx, input)),
  history: managerProcedure
    .input(searchHistoryInput)
    .output(searchHistoryOutput)
    .query(({ ctx, input }) => search.searchHistory(ctx, input.limit)),
});
