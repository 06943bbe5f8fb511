import "server-only";
import { createTRPCRouter, managerProcedure } from "../../trpc";
import {
  importCancelOutput,
  importCreateInput,
  importCreateOutput,
  importDetailOutput,
  importIdInput,
  importListOutput,
  importPreviewInput,
  importPreviewOutput,
} from "./schema";
import * as imports from "./service";

export const importsRouter = createTRPCRouter({
  preview: managerProcedure
    .input(importPreviewInput)
    .output(importPreviewOutput)
    .mutation(({ ctx, input }) => imports.previewImport(ctx, input)),
  create: managerProcedure
    .input(importCreateInput)
    .output(importCreateOutput)
    .mutation(({ ctx, input }) => imports.createImport(ctx, input)),
  get: managerProcedure
    .input(importIdInput)
    .output(importDetailOutput)
    .query(({ ctx, input }) => imports.getImport(ctx, input.id)),
  list: managerProcedure.output(importListOutput).query(({ ctx }) => imports.listImports(ctx)),
  cancel: managerProcedure
    .input(importIdInput)
    .output(importCancelOutput)
    .mutation(({ ctx, input }) => imports.cancelImport(ctx, input.id)),
});
