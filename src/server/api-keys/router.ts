import "server-only";
import { adminProcedure, createTRPCRouter } from "../trpc";
import { apiKeyIdInput, apiKeyOutput, createApiKeyInput, createApiKeyOutput, listApiKeysOutput } from "./schema";
import * as apiKeys from "./service";

/** Settings → API keys (issue 13 item 3): admins only. */
export const apiKeysRouter = createTRPCRouter({
  list: adminProcedure.output(listApiKeysOutput).query(({ ctx }) => apiKeys.listApiKeys(ctx)),
  create: adminProcedure.input(createApiKeyInput).output(createApiKeyOutput).mutation(({ ctx, input }) => apiKeys.createApiKey(ctx, input)),
  revoke: adminProcedure.input(apiKeyIdInput).output(apiKeyOutput).mutation(({ ctx, input }) => apiKeys.revokeApiKey(ctx, input.id)),
});
