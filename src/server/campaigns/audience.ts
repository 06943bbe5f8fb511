import "server-only";
import type { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import { countSmsSegments } from "@/lib/sms-segments";
import { emptyMergeFields, firstMessageProblems, ownerNameParts, renderTemplate, unknownMergeFields, withComplianceFooter, type MergeValues } from "@/lib/sms-template";
import type { ServiceContext } from "../context";
import { querySql, type Db } from "../db";
import { AppError } from "../errors";
import { leadFilterSql } from "../lead-records/filter-sql";
import { leadFiltersSchema } from "../leads/schema";
import { CAMPAIGN_MAX_RECIPIENTS, type CampaignAudience, type previewInput, type previewOutput } from "./schema";

/** One lead of the audience with the phone chosen for it (null: the lead has no phone at all). */
export type AudienceRow = {
  leadId: string;
  ownerName: string | null;
  addressLine1: string;
  city: string;
  state: string;
  zip: string;
  phone: string | null;
  /** The chosen phone can take a text as far as the lead record knows (not a landline, not marked invalid or wrong). */
  textable: boolean;
  tcpa: boolean;
};

export type ResolvedAudience = { leads: number; rows: AudienceRow[] };

const sql = Prisma.sql;

/** The audience's lead condition over `l`. A saved filter is read now (its latest filters). */
async function audienceCondition(db: Db, orgId: string, audience: CampaignAudience): Promise<Prisma.Sql> {
  if (audience.kind === "selection") return sql`l."organizationId" = ${orgId} AND l.id = ANY(${audience.leadIds}::text[])`;
  const saved = await db.savedLeadFilter.findFirst({ where: { id: audience.savedFilterId, organizationId: orgId }, select: { filters: true } });
  if (!saved) throw new AppError("NOT_FOUND", "The campaign's saved filter no longer exists: choose another audience.");
  const filters = leadFiltersSchema.safeParse(saved.filters);
  return leadFilterSql(orgId, filters.success ? filters.data : leadFiltersSchema.parse({}));
}

/** What the audience is called on the campaign page. */
export async function audienceLabel(db: Db, orgId: string, audience: CampaignAudience): Promise<string> {
  if (audience.kind === "selection") return `${audience.leadIds.length.toLocaleString("en-US")} selected lead${audience.leadIds.length === 1 ? "" : "s"}`;
  const saved = await db.savedLeadFilter.findFirst({ where: { id: audience.savedFilterId, organizationId: orgId }, select: { name: true } });
  return saved ? `Saved filter “${saved.name}”` : "A saved filter that was deleted";
}

/**
 * The audience's leads (oldest first) with the phone each would be texted on: the best textable
 * phone (marked best, then not DNC/TCPA-flagged, then mobile, then by score), or with `allPhones`
 * every textable phone. A lead whose phones are all untextable keeps its best one, so the
 * pre-flight can say why (landline, invalid, wrong number) instead of "no phone".
 * At most CAMPAIGN_MAX_RECIPIENTS leads; `limit` reads fewer (the editor's preview).
 */
export async function resolveAudience(db: Db, orgId: string, audience: CampaignAudience, options: { allPhones: boolean; limit?: number }): Promise<ResolvedAudience> {
  const condition = await audienceCondition(db, orgId, audience);
  const limit = options.limit ?? CAMPAIGN_MAX_RECIPIENTS + 1;
  const rows = await querySql<AudienceRow & { createdAt: Date; rank: bigint | null }>(
    db,
    sql`WITH leads AS (
          SELECT l.id, l."ownerName", l."addressLine1", l.city, l.state, l.zip, l."createdAt"
          FROM "Lead" l WHERE ${condition}
          ORDER BY l."createdAt", l.id LIMIT ${limit}
        )
        SELECT leads.id AS "leadId", leads."ownerName", leads."addressLine1", leads.city, leads.state, leads.zip,
               p.number AS phone, COALESCE(p.textable, false) AS textable, COALESCE(p.tcpa, false) AS tcpa, p.rank
        FROM leads
        LEFT JOIN LATERAL (
          SELECT ph.number, ph.tcpa, ph.textable, row_number() OVER (ORDER BY ph.textable DESC, ph."isBest" DESC, (ph.dnc OR ph.tcpa), ph.type = 'mobile' DESC, ph.score DESC NULLS LAST, ph."createdAt", ph.id) AS rank
          FROM (SELECT *, (type <> 'landline' AND status NOT IN ('invalid', 'wrong_number')) AS textable FROM "LeadPhone" WHERE "leadId" = leads.id) ph
        ) p ON true
        WHERE p.rank IS NULL OR p.rank = 1 OR (${options.allPhones} AND p.textable)
        ORDER BY leads."createdAt", leads.id, p.rank`,
  );
  const leads = new Set(rows.map((row) => row.leadId)).size;
  if (options.limit === undefined && leads > CAMPAIGN_MAX_RECIPIENTS) {
    throw new AppError(
      "BAD_REQUEST",
      `This audience has more than ${CAMPAIGN_MAX_RECIPIENTS.toLocaleString("en-US")} leads: one campaign reaches at most that many. Narrow the filter (a ZIP, a status, a score range) and split it into several campaigns.`,
      { reason: "audience_too_large" },
    );
  }
  return { leads, rows: rows.map(({ createdAt: _createdAt, rank: _rank, ...row }) => row) };
}

/** The merge values of one lead. */
export function mergeValuesOf(row: Pick<AudienceRow, "ownerName" | "addressLine1" | "city" | "state" | "zip">, brand: string): MergeValues {
  const owner = ownerNameParts(row.ownerName);
  return {
    owner_first_name: owner.first,
    owner_last_name: owner.last,
    owner_name: owner.full,
    property_address: row.addressLine1,
    city: row.city,
    state: row.state,
    zip: row.zip,
    brand,
  };
}

/** The name texts are signed with: the organization's SMS brand, else its name. */
export async function brandOf(db: Db, orgId: string): Promise<string> {
  const org = await db.organization.findUniqueOrThrow({ where: { id: orgId }, select: { name: true, settings: { select: { smsBrandName: true } } } });
  return org.settings?.smsBrandName?.trim() || org.name;
}

async function countAudience(db: Db, orgId: string, audience: CampaignAudience): Promise<number> {
  const condition = await audienceCondition(db, orgId, audience);
  const [row] = await querySql<{ count: bigint }>(db, sql`SELECT count(*) AS count FROM "Lead" l WHERE ${condition}`);
  return Number(row?.count ?? 0);
}

/** The editor's live preview: the template rendered for the first leads of the audience, and what it lacks. */
export async function previewCampaign(ctx: Pick<ServiceContext, "db" | "orgId">, input: z.output<typeof previewInput>): Promise<z.output<typeof previewOutput>> {
  const [brand, resolved, audienceLeads] = await Promise.all([
    brandOf(ctx.db, ctx.orgId),
    resolveAudience(ctx.db, ctx.orgId, input.audience, { allPhones: false, limit: input.limit }),
    countAudience(ctx.db, ctx.orgId, input.audience),
  ]);
  const problems = firstMessageProblems(input.template, brand);
  return {
    audienceLeads,
    samples: resolved.rows.map((row) => {
      const values = mergeValuesOf(row, brand);
      const body = renderTemplate(input.template, values);
      return {
        leadId: row.leadId,
        ownerName: row.ownerName,
        address: `${row.addressLine1}, ${row.city}, ${row.state} ${row.zip}`,
        phone: row.phone,
        body,
        emptyFields: emptyMergeFields(input.template, values),
        ...countSmsSegments(body),
      };
    }),
    unknownFields: unknownMergeFields(input.template),
    firstMessageProblems: problems,
    fixedTemplate: problems.length > 0 ? withComplianceFooter(input.template, brand) : null,
    brand,
  };
}

