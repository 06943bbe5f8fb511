import "server-only";
import { apiProcedure, createTRPCRouter, managerProcedure, orgProcedure } from "../trpc";
import { restCampaignIdInput } from "../public-api/schema";
import {
  campaignIdInput,
  campaignIdOutput,
  campaignOutput,
  campaignPreflightOutput,
  campaignStatsOutput,
  createCampaignInput,
  exclusionsInput,
  exclusionsOutput,
  listCampaignsOutput,
  okOutput,
  previewInput,
  previewOutput,
  recipientsInput,
  recipientsOutput,
  testSendInput,
  testSendOutput,
  updateCampaignInput,
} from "./schema";
import * as campaigns from "./service";
import { exclusionsOf, runCampaignPreflight } from "./preflight";
import { previewCampaign } from "./audience";

/**
 * SMS campaigns (issue 11). Every member reads them (list, page, counters, recipients); managers
 * write, pre-flight, launch, pause, resume, cancel and test-send.
 */
export const campaignsRouter = createTRPCRouter({
  list: orgProcedure.output(listCampaignsOutput).query(({ ctx }) => campaigns.listCampaigns(ctx)),
  get: orgProcedure.input(campaignIdInput).output(campaignOutput).query(({ ctx, input }) => campaigns.getCampaign(ctx, input.id)),
  stats: orgProcedure.input(campaignIdInput).output(campaignStatsOutput).query(({ ctx, input }) => campaigns.campaignStats(ctx, input.id)),
  recipients: orgProcedure.input(recipientsInput).output(recipientsOutput).query(({ ctx, input }) => campaigns.listRecipients(ctx, input)),
  exclusions: orgProcedure.input(exclusionsInput).output(exclusionsOutput).query(({ ctx, input }) => exclusionsOf(ctx, input)),
  /** Writes nothing; a mutation (POST) because a selection of leads is too long for a GET URL. */
  preview: managerProcedure.input(previewInput).output(previewOutput).mutation(({ ctx, input }) => previewCampaign(ctx, input)),
  create: managerProcedure.input(createCampaignInput).output(campaignIdOutput).mutation(({ ctx, input }) => campaigns.createCampaign(ctx, input)),
  update: managerProcedure.input(updateCampaignInput).output(campaignIdOutput).mutation(({ ctx, input }) => campaigns.updateCampaign(ctx, input)),
  delete: managerProcedure.input(campaignIdInput).output(okOutput).mutation(({ ctx, input }) => campaigns.deleteCampaign(ctx, input.id)),
  preflight: managerProcedure.input(campaignIdInput).output(campaignPreflightOutput).mutation(({ ctx, input }) => runCampaignPreflight(ctx, input.id)),
  launch: managerProcedure.input(campaignIdInput).output(campaignIdOutput).mutation(({ ctx, input }) => campaigns.launchCampaign(ctx, input.id)),
  pause: managerProcedure.input(campaignIdInput).output(campaignIdOutput).mutation(({ ctx, input }) => campaigns.pauseCampaign(ctx, input.id)),
  resume: managerProcedure.input(campaignIdInput).output(campaignIdOutput).mutation(({ ctx, input }) => campaigns.resumeCampaign(ctx, input.id)),
  cancel: managerProcedure.input(campaignIdInput).output(campaignIdOutput).mutation(({ ctx, input }) => campaigns.cancelCampaign(ctx, input.id)),
  testSend: managerProcedure.input(testSendInput).output(testSendOutput).mutation(({ ctx, input }) => campaigns.testSendCampaign(ctx, input)),
});

/** The public REST API's campaign reads (/api/v1, issue 13 item 3): the services above, for API keys. */
export const campaignsRestRouter = createTRPCRouter({
  list: apiProcedure("campaigns:read")
    .meta({ openapi: { method: "GET", path: "/campaigns", tags: ["Campaigns"], summary: "List campaigns", description: "Newest first, with their counters." } })
    .output(listCampaignsOutput)
    .query(({ ctx }) => campaigns.listCampaigns(ctx)),
  get: apiProcedure("campaigns:read")
    .meta({ openapi: { method: "GET", path: "/campaigns/{id}", tags: ["Campaigns"], summary: "Get a campaign" } })
    .input(restCampaignIdInput)
    .output(campaignOutput)
    .query(({ ctx, input }) => campaigns.getCampaign(ctx, input.id)),
});
