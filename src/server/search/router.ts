import "server-only";
import { createTRPCRouter, managerProcedure } from "../trpc";
import {
  addAllInput,
  addAllJobIdInput,
  addAllJobOutput,
  listSavedSearchesOutput,
  okOutput,
  savedSearchIdInput,
  savedSearchOutput,
  saveSearchInput,
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
import { getAddAllJob, startAddAll } from "./add-all";
import { deleteSavedSearch, listSavedSearches, saveSearch } from "./saved";

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
  /** Saved searches (location + filters by name); re-running one is search.run from page 1. */
  saved: managerProcedure.output(listSavedSearchesOutput).query(({ ctx }) => listSavedSearches(ctx)),
  save: managerProcedure.input(saveSearchInput).output(savedSearchOutput).mutation(({ ctx, input }) => saveSearch(ctx, input)),
  deleteSaved: managerProcedure.input(savedSearchIdInput).output(okOutput).mutation(({ ctx, input }) => deleteSavedSearch(ctx, input.id)),
  /** "Add all N results": a background job over every page of a search run today. */
  addAll: managerProcedure.input(addAllInput).output(addAllJobOutput).mutation(({ ctx, input }) => startAddAll(ctx, input)),
  addAllJob: managerProcedure.input(addAllJobIdInput).output(addAllJobOutput).query(({ ctx, input }) => getAddAllJob(ctx, input.id)),
});
