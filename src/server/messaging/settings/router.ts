import "server-only";
import { adminProcedure, createTRPCRouter, managerProcedure } from "../../trpc";
import {
  addSenderInput,
  okOutput,
  removeSenderInput,
  updateSenderInput,
  senderOutput,
  smsSettingsOutput,
  tryRulesInput,
  tryRulesOutput,
  updateIdentityInput,
  updateReplyIntentInput,
  updateRulesInput,
  updateTextsInput,
} from "./schema";
import * as settings from "./service";

/**
 * Settings → Texting: senders, brand and help contact, reply texts, reply rules. Managers read
 * them (get, and tryRules, which writes nothing); every change is admin-only.
 */
export const smsSettingsRouter = createTRPCRouter({
  get: managerProcedure.output(smsSettingsOutput).query(({ ctx }) => settings.getSmsSettings(ctx)),
  addSender: adminProcedure
    .input(addSenderInput)
    .output(senderOutput)
    .mutation(({ ctx, input }) => settings.addSender(ctx, input)),
  removeSender: adminProcedure
    .input(removeSenderInput)
    .output(okOutput)
    .mutation(({ ctx, input }) => settings.removeSender(ctx, input.id)),
  updateSender: adminProcedure
    .input(updateSenderInput)
    .output(senderOutput)
    .mutation(({ ctx, input }) => settings.updateSender(ctx, input)),
  updateIdentity: adminProcedure
    .input(updateIdentityInput)
    .output(smsSettingsOutput)
    .mutation(({ ctx, input }) => settings.updateIdentity(ctx, input)),
  updateTexts: adminProcedure
    .input(updateTextsInput)
    .output(smsSettingsOutput)
    .mutation(({ ctx, input }) => settings.updateTexts(ctx, input)),
  updateRules: adminProcedure
    .input(updateRulesInput)
    .output(smsSettingsOutput)
    .mutation(({ ctx, input }) => settings.updateRules(ctx, input)),
  updateReplyIntent: adminProcedure
    .input(updateReplyIntentInput)
    .output(smsSettingsOutput)
    .mutation(({ ctx, input }) => settings.updateReplyIntent(ctx, input)),
  /** Writes nothing; a mutation (POST) because a draft rule set is far too long for a GET URL. */
  tryRules: managerProcedure
    .input(tryRulesInput)
    .output(tryRulesOutput)
    .mutation(({ ctx, input }) => settings.tryRules(ctx, input)),
});
