import "server-only";
import { createTRPCRouter, managerProcedure, orgProcedure } from "../trpc";
import * as notes from "./notes-service";
import {
  addNoteInput,
  addPhoneInput,
  aiSummaryAvailableOutput,
  aiSummaryOutput,
  assigneeOutput,
  bulkInput,
  bulkOutput,
  createLeadInput,
  createLeadOutput,
  createTagInput,
  leadCountsInput,
  leadCountsOutput,
  leadDetailOutput,
  leadIdInput,
  listLeadsInput,
  markPhoneInput,
  listLeadsOutput,
  noteIdInput,
  noteOutput,
  okOutput,
  outcomeInput,
  setLeadTagsInput,
  tagIdInput,
  tagListOutput,
  tagOutput,
  updateLeadInput,
  updateNoteInput,
  updateTagInput,
} from "./schema";
import { markPhone } from "./phones-service";
import * as leads from "./service";
import { aiSummariesEnabled, summarizeLead } from "./summary";
import * as tags from "./tags-service";

export const leadsRouter = createTRPCRouter({
  list: orgProcedure.input(listLeadsInput).output(listLeadsOutput).query(({ ctx, input }) => leads.listLeads(ctx, input)),
  counts: orgProcedure.input(leadCountsInput).output(leadCountsOutput).query(({ ctx, input }) => leads.leadCounts(ctx, input.filters)),
  get: orgProcedure.input(leadIdInput).output(leadDetailOutput).query(({ ctx, input }) => leads.getLead(ctx, input.id)),
  create: managerProcedure.input(createLeadInput).output(createLeadOutput).mutation(({ ctx, input }) => leads.createLead(ctx, input)),
  update: orgProcedure.input(updateLeadInput).output(leadDetailOutput).mutation(({ ctx, input }) => leads.updateLead(ctx, input)),
  addPhone: orgProcedure.input(addPhoneInput).output(leadDetailOutput).mutation(({ ctx, input }) => leads.addLeadPhone(ctx, input)),
  /** Wrong number / verified / do not call on one phone; any member (each mark restricts or confirms). */
  markPhone: orgProcedure.input(markPhoneInput).output(leadDetailOutput).mutation(({ ctx, input }) => markPhone(ctx, input)),
  bulk: orgProcedure.input(bulkInput).output(bulkOutput).mutation(({ ctx, input }) => leads.bulkUpdate(ctx, input)),
  setOutcome: orgProcedure.input(outcomeInput).output(leadDetailOutput).mutation(({ ctx, input }) => leads.setOutcome(ctx, input)),
  setTags: orgProcedure.input(setLeadTagsInput).output(leadDetailOutput).mutation(({ ctx, input }) => leads.setLeadTags(ctx, input)),
  assignees: orgProcedure.output(assigneeOutput).query(({ ctx }) => leads.listAssignees(ctx)),
  aiSummaryAvailable: orgProcedure.output(aiSummaryAvailableOutput).query(() => aiSummariesEnabled()),
  summarize: orgProcedure.input(leadIdInput).output(aiSummaryOutput).mutation(({ ctx, input }) => summarizeLead(ctx, input.id)),
});

export const notesRouter = createTRPCRouter({
  add: orgProcedure.input(addNoteInput).output(noteOutput).mutation(({ ctx, input }) => notes.addNote(ctx, input)),
  update: orgProcedure.input(updateNoteInput).output(noteOutput).mutation(({ ctx, input }) => notes.updateNote(ctx, input)),
  delete: orgProcedure.input(noteIdInput).output(okOutput).mutation(({ ctx, input }) => notes.deleteNote(ctx, input.id)),
});

export const tagsRouter = createTRPCRouter({
  list: orgProcedure.output(tagListOutput).query(({ ctx }) => tags.listTags(ctx)),
  create: orgProcedure.input(createTagInput).output(tagOutput).mutation(({ ctx, input }) => tags.createTag(ctx, input)),
  update: managerProcedure.input(updateTagInput).output(tagOutput).mutation(({ ctx, input }) => tags.updateTag(ctx, input)),
  delete: managerProcedure.input(tagIdInput).output(okOutput).mutation(({ ctx, input }) => tags.deleteTag(ctx, input.id)),
});
