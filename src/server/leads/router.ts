import "server-only";
import { apiProcedure, createTRPCRouter, managerProcedure, orgProcedure } from "../trpc";
import {
  restAddNoteInput,
  restCreateLeadInput,
  restCreateTagInput,
  restLeadIdInput,
  restListLeadsInput,
  restSetLeadTagsInput,
  restUpdateLeadInput,
  restUpdateNoteInput,
} from "../public-api/schema";
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
  mapPointsInput,
  mapPointsOutput,
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
import { leadMapPoints } from "./map-service";
import { markPhone } from "./phones-service";
import * as leads from "./service";
import { aiSummariesEnabled, summarizeLead } from "./summary";
import * as tags from "./tags-service";

export const leadsRouter = createTRPCRouter({
  list: orgProcedure.input(listLeadsInput).output(listLeadsOutput).query(({ ctx, input }) => leads.listLeads(ctx, input)),
  /** The list's filters on a map: markers for the leads with coordinates (issue 14 item 8). */
  mapPoints: orgProcedure.input(mapPointsInput).output(mapPointsOutput).query(({ ctx, input }) => leadMapPoints(ctx, input)),
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

/**
 * The public REST API's lead, tag and note operations (/api/v1, issue 13 item 3): the same
 * services and output schemas as above, for API keys, with the role the app requires for the same
 * action. Served by app/api/v1 through trpc-to-openapi, not mounted in the app router.
 */
export const leadsRestRouter = createTRPCRouter({
  list: apiProcedure("leads:read")
    .meta({ openapi: { method: "GET", path: "/leads", tags: ["Leads"], summary: "List leads", description: "Filtered and sorted, 50 a page by default; pass nextCursor as cursor for the next page." } })
    .input(restListLeadsInput)
    .output(listLeadsOutput)
    .query(({ ctx, input }) => leads.listLeads(ctx, input)),
  get: apiProcedure("leads:read")
    .meta({ openapi: { method: "GET", path: "/leads/{id}", tags: ["Leads"], summary: "Get a lead", description: "With phones, emails, notes, tags and activity." } })
    .input(restLeadIdInput)
    .output(leadDetailOutput)
    .query(({ ctx, input }) => leads.getLead(ctx, input.id)),
  create: apiProcedure("leads:write", "manager")
    .meta({ openapi: { method: "POST", path: "/leads", tags: ["Leads"], summary: "Create a lead", description: "A lead with the same normalized address and owner is not created twice: created is false and the existing lead is returned. Send idempotencyKey to make a retry safe." } })
    .input(restCreateLeadInput)
    .output(createLeadOutput)
    .mutation(({ ctx, input }) => leads.createLead(ctx, input)),
  update: apiProcedure("leads:write")
    .meta({ openapi: { method: "PATCH", path: "/leads/{id}", tags: ["Leads"], summary: "Update a lead", description: "Only the fields sent change; null clears a field." } })
    .input(restUpdateLeadInput)
    .output(leadDetailOutput)
    .mutation(({ ctx, input }) => leads.updateLead(ctx, input)),
  setTags: apiProcedure("tags:write")
    .meta({ openapi: { method: "PUT", path: "/leads/{leadId}/tags", tags: ["Tags"], summary: "Set a lead's tags", description: "Replaces the lead's tags with tagIds." } })
    .input(restSetLeadTagsInput)
    .output(leadDetailOutput)
    .mutation(({ ctx, input }) => leads.setLeadTags(ctx, input)),
});

export const tagsRestRouter = createTRPCRouter({
  list: apiProcedure("tags:read")
    .meta({ openapi: { method: "GET", path: "/tags", tags: ["Tags"], summary: "List tags", description: "With the number of leads holding each." } })
    .output(tagListOutput)
    .query(({ ctx }) => tags.listTags(ctx)),
  create: apiProcedure("tags:write")
    .meta({ openapi: { method: "POST", path: "/tags", tags: ["Tags"], summary: "Create a tag" } })
    .input(restCreateTagInput)
    .output(tagOutput)
    .mutation(({ ctx, input }) => tags.createTag(ctx, input)),
});

export const notesRestRouter = createTRPCRouter({
  add: apiProcedure("notes:write")
    .meta({ openapi: { method: "POST", path: "/leads/{leadId}/notes", tags: ["Notes"], summary: "Add a note to a lead" } })
    .input(restAddNoteInput)
    .output(noteOutput)
    .mutation(({ ctx, input }) => notes.addNote(ctx, input)),
  update: apiProcedure("notes:write")
    .meta({ openapi: { method: "PATCH", path: "/notes/{id}", tags: ["Notes"], summary: "Edit a note" } })
    .input(restUpdateNoteInput)
    .output(noteOutput)
    .mutation(({ ctx, input }) => notes.updateNote(ctx, input)),
});
