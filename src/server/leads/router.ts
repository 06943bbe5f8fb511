import "server-only";
import { z } from "zod";
import { createTRPCRouter, managerProcedure, orgProcedure } from "../trpc";
import {
  addNoteInput,
  assigneeOutput,
  bulkInput,
  bulkOutput,
  createLeadInput,
  createLeadOutput,
  createTagInput,
  leadCountsOutput,
  leadDetailOutput,
  leadFiltersSchema,
  leadIdInput,
  listLeadsInput,
  listLeadsOutput,
  noteIdInput,
  okOutput,
  outcomeInput,
  setLeadTagsInput,
  tagIdInput,
  tagOutput,
  updateLeadInput,
  updateNoteInput,
  updateTagInput,
} from "./schema";
import * as leads from "./service";
import { aiSummariesEnabled, summarizeLead } from "./summary";

const noteOutput = z.object({
  id: z.string(),
  body: z.string(),
  createdAt: z.date(),
  updatedAt: z.date(),
  author: z.object({ id: z.string(), name: z.string().nullable(), email: z.string() }).nullable(),
});

export const leadsRouter = createTRPCRouter({
  list: orgProcedure.input(listLeadsInput).output(listLeadsOutput).query(({ ctx, input }) => leads.listLeads(ctx, input)),
  counts: orgProcedure
    .input(z.object({ filters: leadFiltersSchema.prefault({}) }))
    .output(leadCountsOutput)
    .query(({ ctx, input }) => leads.leadCounts(ctx, input.filters)),
  get: orgProcedure.input(leadIdInput).output(leadDetailOutput).query(({ ctx, input }) => leads.getLead(ctx, input.id)),
  create: managerProcedure.input(createLeadInput).output(createLeadOutput).mutation(({ ctx, input }) => leads.createLead(ctx, input)),
  update: orgProcedure.input(updateLeadInput).output(leadDetailOutput).mutation(({ ctx, input }) => leads.updateLead(ctx, input)),
  bulk: orgProcedure.input(bulkInput).output(bulkOutput).mutation(({ ctx, input }) => leads.bulkUpdate(ctx, input)),
  setOutcome: orgProcedure.input(outcomeInput).output(leadDetailOutput).mutation(({ ctx, input }) => leads.setOutcome(ctx, input)),
  setTags: orgProcedure.input(setLeadTagsInput).output(leadDetailOutput).mutation(({ ctx, input }) => leads.setLeadTags(ctx, input)),
  assignees: orgProcedure.output(assigneeOutput).query(({ ctx }) => leads.listAssignees(ctx)),
  aiSummaryAvailable: orgProcedure.output(z.boolean()).query(() => aiSummariesEnabled()),
  summarize: orgProcedure
    .input(leadIdInput)
    .output(z.object({ aiSummary: z.string() }))
    .mutation(({ ctx, input }) => summarizeLead(ctx, input.id)),
});

export const notesRouter = createTRPCRouter({
  add: orgProcedure.input(addNoteInput).output(noteOutput).mutation(({ ctx, input }) => leads.addNote(ctx, input)),
  update: orgProcedure.input(updateNoteInput).output(noteOutput).mutation(({ ctx, input }) => leads.updateNote(ctx, input)),
  delete: orgProcedure.input(noteIdInput).output(okOutput).mutation(({ ctx, input }) => leads.deleteNote(ctx, input.id)),
});

export const tagsRouter = createTRPCRouter({
  list: orgProcedure.output(z.array(tagOutput.extend({ leadCount: z.number().int() }))).query(({ ctx }) => leads.listTags(ctx)),
  create: orgProcedure.input(createTagInput).output(tagOutput).mutation(({ ctx, input }) => leads.createTag(ctx, input)),
  update: managerProcedure
    .input(updateTagInput)
    .output(tagOutput)
    .mutation(({ ctx, input }) => leads.updateTag(ctx, input)),
  delete: managerProcedure.input(tagIdInput).output(okOutput).mutation(({ ctx, input }) => leads.deleteTag(ctx, input.id)),
});
