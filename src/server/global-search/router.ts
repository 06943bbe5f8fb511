import "server-only";
import { createTRPCRouter, orgProcedure } from "../trpc";
import { globalSearchInput, globalSearchOutput } from "./schema";
import { globalSearch } from "./service";

/** ⌘K: one query across leads, inbox threads and campaigns of the viewer's organization. */
export const globalSearchRouter = createTRPCRouter({
  query: orgProcedure.input(globalSearchInput).output(globalSearchOutput).query(({ ctx, input }) => globalSearch(ctx, input.q)),
});
