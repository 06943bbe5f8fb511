import { z } from "zod";
import { LEAD_SORT_FIELDS, LEAD_SOURCES, LEAD_STATUSES, TEMPERATURES, addNoteInput, createLeadInput, createTagInput, listLeadsInput, setLeadTagsInput, updateLeadInput, updateNoteInput } from "../leads/schema";
import { addSuppressionInput } from "../compliance/schema";
import { idString, safeString } from "@/lib/text-schema";
import { OLD_TEMPERATURE_NAMES } from "@/lib/scoring";

/**
 * The public REST API's inputs (issue 13 item 3), built from the app's own schemas: each REST
 * operation validates with the very field schemas (and services) the app uses; only the shape
 * changes — flat JSON bodies, path parameters and query strings instead of tRPC's nested input.
 *
 * Why the fields are "shielded": trpc-to-openapi coerces query strings by setting `coerce` on the
 * number / boolean / date schemas it finds in a REST input object — on the schema instances
 * themselves (trpc-to-openapi 3.3.0, utils/zod coerceSchema, for bodies too). Shared with the
 * app, that would quietly loosen the app's own validation (a string "false" read as `true`). A
 * field piped into an identity step is not unwrapped by that code, so the app's schemas are never
 * touched; the OpenAPI document still shows each field's input schema (public-api.int.test.ts
 * proves both).
 */
type Shielded<S extends z.ZodRawShape> = { [K in keyof S]: z.ZodPipe<S[K], z.ZodCustom<z.output<S[K]>, z.output<S[K]>>> };

export function shield<S extends z.ZodRawShape>(shape: S): Shielded<S> {
  return Object.fromEntries(Object.entries(shape).map(([key, schema]) => [key, (schema as z.ZodType).pipe(z.custom())])) as unknown as Shielded<S>;
}

const id = idString();

// ───────────── leads ─────────────

/** Query strings hold text: numbers and yes/no are read here, then the app's list schema decides. */
const queryInt = () => z.coerce.number<string>().int();
const queryBool = () => z.stringbool({ truthy: ["true", "1", "yes"], falsy: ["false", "0", "no"] });

/** A value the app's schema refused, reported on the query parameter the client sent. */
function parseInto<T extends z.ZodType>(schema: T, value: unknown, ctx: z.RefinementCtx, fieldOf: (path: PropertyKey[]) => PropertyKey[]): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: fieldOf(issue.path) });
  return z.NEVER;
}

export const restListLeadsInput = z
  .object({
    status: z.array(z.enum(LEAD_STATUSES)).max(LEAD_STATUSES.length).optional().meta({ description: "Repeat for several: ?status=new&status=contacted" }),
    temperature: z.array(z.enum([...TEMPERATURES, ...OLD_TEMPERATURE_NAMES])).max(8).optional(),
    tagId: z.array(id).max(50).optional().meta({ description: "Leads with any of these tags" }),
    source: z.array(z.enum(LEAD_SOURCES)).max(4).optional(),
    hasPhone: queryBool().optional(),
    textable: queryBool().optional().meta({ description: "A phone that can take a text" }),
    skipTraced: queryBool().optional(),
    zip: safeString().max(10).optional(),
    assigneeId: id.optional().meta({ description: 'A user id, or "unassigned"' }),
    scoreMin: queryInt().optional(),
    scoreMax: queryInt().optional(),
    q: safeString().max(200).optional().meta({ description: "Free text on address and owner" }),
    archived: z.enum(["exclude", "include", "only"]).optional(),
    sort: z.enum(LEAD_SORT_FIELDS).optional(),
    direction: z.enum(["asc", "desc"]).optional(),
    cursor: id.optional().meta({ description: "nextCursor of the previous page" }),
    limit: queryInt().optional().meta({ description: "1–100, default 50" }),
  })
  .transform(({ status, temperature, tagId, source, hasPhone, textable, skipTraced, zip, assigneeId, scoreMin, scoreMax, q, archived, sort, direction, cursor, limit }, ctx) =>
    parseInto(
      listLeadsInput,
      {
        filters: { status, temperature, tagIds: tagId, source, hasPhone, textable, skipTraced, zip, assigneeId, scoreMin, scoreMax, q, archived },
        ...(sort || direction ? { sort: { field: sort, direction } } : {}),
        cursor,
        limit,
      },
      ctx,
      (path) => (path[0] === "filters" ? [path[1] === "tagIds" ? "tagId" : path[1]!] : path[0] === "sort" ? [path[1] === "direction" ? "direction" : "sort"] : path),
    ),
  );

export const restLeadIdInput = z.object({ id });

export const restCreateLeadInput = z.object(shield(createLeadInput.shape));

const leadPatchShape = updateLeadInput.shape.patch.shape;
export const restUpdateLeadInput = z
  .object({ id, ...shield(leadPatchShape) })
  .transform(({ id: leadId, ...patch }) => ({ id: leadId, patch }));

// ───────────── tags and notes ─────────────

export const restCreateTagInput = z.object(shield(createTagInput.shape));
export const restSetLeadTagsInput = z.object(shield(setLeadTagsInput.shape));
export const restAddNoteInput = z.object(shield(addNoteInput.shape));
export const restUpdateNoteInput = z.object(shield(updateNoteInput.shape));

// ───────────── campaigns and opt-outs ─────────────

export const restCampaignIdInput = z.object({ id });
export const restAddSuppressionInput = z.object(shield(addSuppressionInput.shape));

// ───────────── the error body ─────────────

/** Every REST error (route-errors.ts): the same vocabulary as the app's procedures and route handlers. */
export const restErrorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ description: "The tRPC-style code", example: "NOT_FOUND" }),
      appCode: z.string().meta({ description: "The domain code (errors.ts)", example: "NOT_FOUND" }),
      message: z.string().meta({ description: "What happened and what to do", example: "Lead was not found." }),
      details: z.record(z.string(), z.unknown()).nullable().meta({ description: "Field errors of a refused input ({ fieldErrors, formErrors }) and other facts" }),
      requestId: z.string(),
    }),
  })
  .meta({ id: "Error" });
