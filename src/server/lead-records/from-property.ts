import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { LeadSource } from "@/generated/prisma/enums";
import { leadDedupKey, normalizeAddress, normalizeOwnerName } from "@/lib/address";
import { scoreLead } from "@/lib/scoring";
import type { PropertyRecord } from "../providers/property-search";

export function scoreProperty(record: PropertyRecord, now?: Date) {
  return scoreLead(
    {
      equityPct: record.equityPct,
      absentee: record.absentee,
      ownerIsCorporate: record.ownerIsCorporate,
      lastSaleDate: record.lastSaleDate,
      lastSalePriceCents: record.lastSalePriceCents,
      estimatedValueCents: record.estimatedValueCents,
      vacant: record.vacant,
    },
    now,
  );
}

export function propertyDedupKey(record: Pick<PropertyRecord, "address" | "ownerName">): string {
  return leadDedupKey({ street: record.address.line1, city: record.address.city, state: record.address.state, zip: record.address.zip }, record.ownerName);
}

const bigCents = (cents: number | null) => (cents === null ? null : BigInt(Math.round(cents)));

/** The lead row for a provider's property record, deduplicated by its normalized key. */
export function leadDataFromProperty(
  record: PropertyRecord,
  ctx: { orgId: string; userId: string | null; source: LeadSource },
): Prisma.LeadCreateManyInput {
  const address = normalizeAddress({ street: record.address.line1, city: record.address.city, state: record.address.state, zip: record.address.zip });
  const score = scoreProperty(record);
  return {
    organizationId: ctx.orgId,
    source: ctx.source,
    externalId: record.externalId,
    addressLine1: record.address.line1,
    city: record.address.city,
    state: record.address.state,
    zip: record.address.zip,
    normalizedAddress: address.key,
    ownerName: record.ownerName,
    normalizedOwner: normalizeOwnerName(record.ownerName ?? ""),
    dedupKey: propertyDedupKey(record),
    ownerIsCorporate: record.ownerIsCorporate,
    mailingAddress: record.mailingAddress,
    absentee: record.absentee,
    propertyType: record.propertyType,
    beds: record.beds,
    baths: record.baths,
    sizeSqft: record.sizeSqft,
    yearBuilt: record.yearBuilt,
    estimatedValueCents: bigCents(record.estimatedValueCents),
    assessedValueCents: bigCents(record.assessedValueCents),
    equityPct: record.equityPct,
    lastSaleDate: record.lastSaleDate ? new Date(`${record.lastSaleDate}T00:00:00Z`) : null,
    lastSalePriceCents: bigCents(record.lastSalePriceCents),
    latitude: record.latitude,
    longitude: record.longitude,
    vacant: record.vacant,
    score: score.score,
    temperature: score.temperature,
    scoreFactors: score.factors,
    createdById: ctx.userId,
  };
}
