import "server-only";
import { createTRPCRouter, managerProcedure, orgProcedure } from "../trpc";
import {
  automationOptionsOutput,
  createRuleInput,
  createSequenceInput,
  firingsInput,
  firingsOutput,
  idInput,
  idOutput,
  listRulesOutput,
  listSequencesOutput,
  moveRuleInput,
  okOutput,
  setEnabledInput,
  startSequenceInput,
  startSequenceOutput,
  testRulesInput,
  testRulesOutput,
  updateRuleInput,
  updateSequenceInput,
} from "./schema";
import * as automation from "./service";

/**
 * Automation (issue 12 items 5–6): auto-responder rules and follow-up sequences. Every member
 * reads them and tries the "what would fire" box; managers create, edit, switch on and off,
 * reorder, delete, and start sequences on a selection.
 */
export const automationRouter = createTRPCRouter({
  options: orgProcedure.output(automationOptionsOutput).query(({ ctx }) => automation.automationOptions(ctx)),
  rules: orgProcedure.output(listRulesOutput).query(({ ctx }) => automation.listRules(ctx)),
  ruleFirings: orgProcedure.input(firingsInput).output(firingsOutput).query(({ ctx, input }) => automation.ruleFirings(ctx, input)),
  testRules: orgProcedure.input(testRulesInput).output(testRulesOutput).query(({ ctx, input }) => automation.testRules(ctx, input)),
  createRule: managerProcedure.input(createRuleInput).output(idOutput).mutation(({ ctx, input }) => automation.createRule(ctx, input)),
  updateRule: managerProcedure.input(updateRuleInput).output(idOutput).mutation(({ ctx, input }) => automation.updateRule(ctx, input)),
  setRuleEnabled: managerProcedure.input(setEnabledInput).output(idOutput).mutation(({ ctx, input }) => automation.setRuleEnabled(ctx, input)),
  moveRule: managerProcedure.input(moveRuleInput).output(idOutput).mutation(({ ctx, input }) => automation.moveRule(ctx, input)),
  deleteRule: managerProcedure.input(idInput).output(okOutput).mutation(({ ctx, input }) => automation.deleteRule(ctx, input)),
  sequences: orgProcedure.output(listSequencesOutput).query(({ ctx }) => automation.listSequences(ctx)),
  createSequence: managerProcedure.input(createSequenceInput).output(idOutput).mutation(({ ctx, input }) => automation.createSequence(ctx, input)),
  updateSequence: managerProcedure.input(updateSequenceInput).output(idOutput).mutation(({ ctx, input }) => automation.updateSequence(ctx, input)),
  setSequenceEnabled: managerProcedure.input(setEnabledInput).output(idOutput).mutation(({ ctx, input }) => automation.setSequenceEnabled(ctx, input)),
  deleteSequence: managerProcedure.input(idInput).output(okOutput).mutation(({ ctx, input }) => automation.deleteSequence(ctx, input)),
  startSequence: managerProcedure.input(startSequenceInput).output(startSequenceOutput).mutation(({ ctx, input }) => automation.startSequence(ctx, input)),
});
