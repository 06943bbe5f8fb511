import "server-only";
import { adminProcedure, createTRPCRouter } from "../trpc";
import {
  createWebhookEndpointInput,
  createWebhookEndpointOutput,
  listWebhookDeliveriesInput,
  listWebhookDeliveriesOutput,
  listWebhookEndpointsOutput,
  replayWebhookDeliveryOutput,
  rotateWebhookSecretOutput,
  updateWebhookEndpointInput,
  webhookDeliveryIdInput,
  webhookEndpointIdInput,
  webhookEndpointOutput,
} from "./schema";
import * as webhooks from "./service";

/** Settings → Webhooks (issue 13 item 4): admins only. */
export const webhooksRouter = createTRPCRouter({
  list: adminProcedure.output(listWebhookEndpointsOutput).query(({ ctx }) => webhooks.listWebhookEndpoints(ctx)),
  create: adminProcedure.input(createWebhookEndpointInput).output(createWebhookEndpointOutput).mutation(({ ctx, input }) => webhooks.createWebhookEndpoint(ctx, input)),
  update: adminProcedure.input(updateWebhookEndpointInput).output(webhookEndpointOutput).mutation(({ ctx, input }) => webhooks.updateWebhookEndpoint(ctx, input)),
  /** A new signing secret, shown once; the replaced one signs beside it for a day. */
  rotateSecret: adminProcedure.input(webhookEndpointIdInput).output(rotateWebhookSecretOutput).mutation(({ ctx, input }) => webhooks.rotateWebhookSecret(ctx, input.id)),
  delete: adminProcedure.input(webhookEndpointIdInput).output(webhookEndpointOutput).mutation(({ ctx, input }) => webhooks.deleteWebhookEndpoint(ctx, input.id)),
  deliveries: adminProcedure.input(listWebhookDeliveriesInput).output(listWebhookDeliveriesOutput).query(({ ctx, input }) => webhooks.listWebhookDeliveries(ctx, input)),
  replay: adminProcedure.input(webhookDeliveryIdInput).output(replayWebhookDeliveryOutput).mutation(({ ctx, input }) => webhooks.replayWebhookDelivery(ctx, input.id)),
});
