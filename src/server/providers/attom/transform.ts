/**
 * ATTOM envelope → domain records. The one place that knows ATTOM's field names and quirks.
 */
import { isCorporateOwnerName } from "@/lib/address";
import type { PropertyRecord, PropertyRecordType, PropertySearchPage } from "../property-search";
import type { AttomEnvelope, AttomProperty } from "./schema";

/** ATTOM answered, but with a status that is neither success nor "no result" (−5, −6, 15 …). */
export class AttomStatusError extends Error {
  constructor(
    readonly code: number,
    readonly attomMessage: string | null,
    readonly transactionId: string | null,
  ) {
    super(`ATTOM status ${code}: ${attomMessage ?? "no message"}`);
    this.name = "AttomStatusError";
  }
}

/** "No properties matched": status 400 / "SuccessWithoutResult". Not an error, and not billed. */
export function isNoResult(envelope: AttomEnvelope): boolean {
  return (
    envelope.status.code === 400 || envelope.status.msg?.toLowerCase() === "successwithoutresult"
  );
}

export function isSuccess(envelope: AttomEnvelope): boolean {
  return envelope.status.code === 0;
}

/**
 * A whole page: records plus ATTOM's paging. A no-result envelope is an empty page; any other
 * non-success status throws AttomStatusError.
 */
export function toPropertySearchResult(
  envelope: AttomEnvelope,
  requested: { page: number; pageSize: number },
): PropertySearchPage {
  if (isNoResult(envelope)) return { properties: [], total: 0, ...requested };
  if (!isSuccess(envelope)) {
    const { code, msg, transactionid } = envelope.status;
    throw new AttomStatusError(code, msg, transactionid);
  }
  const properties = toPropertyRecords(envelope);
  return {
    properties,
    total: Math.max(envelope.status.total ?? properties.length, properties.length),
    page: positiveInt(envelope.status.page) ?? requested.page,
    pageSize: positiveInt(envelope.status.pagesize) ?? requested.pageSize,
  };
}

/**
 * Maps every property that has an ATTOM id and a street line (a lead needs both); others are
 * dropped. ATTOM writes 0 where it has no value, so zero counts, sizes, years and amounts read
 * as unknown.
 */
export function toPropertyRecords(envelope: AttomEnvelope): PropertyRecord[] {
  return (envelope.property ?? []).flatMap((property) => {
    const record = toPropertyRecord(property);
    return record ? [record] : [];
  });
}

function toPropertyRecord(property: AttomProperty): PropertyRecord | null {
  const { identifier, address, location, summary, building, assessment, sale, avm } = property;
  const externalId = identifier?.attomid ?? identifier?.id;
  const line1 = address?.line1;
  if (!externalId || !line1) return null;

  const owner = property.owner ?? assessment?.owner;
  const ownerName = composeOwnerName(owner?.owner1);
  const corporateIndicator = owner?.corporateindicator?.toUpperCase();

  const saleAmount = sale?.amount ?? sale?.saleamountdata;
  const lastSalePrice = positive(saleAmount?.saleamt);
  const estimatedValue = positive(avm?.amount?.value) ?? positive(assessment?.market?.mktttlvalue);
  const mortgage = sale?.mortgage ?? assessment?.mortgage;
  const loanAmount =
    (positive(mortgage?.firstconcurrent?.amount) ?? 0) +
    (positive(mortgage?.secondconcurrent?.amount) ?? 0);

  return {
    externalId,
    address: {
      line1,
      city: address?.locality ?? "",
      state: address?.countrysubd ?? "",
      zip: address?.postal1 ?? "",
    },
    ownerName,
    ownerIsCorporate:
      corporateIndicator === "Y"
        ? true
        : corporateIndicator === "N"
          ? false
          : isCorporateOwnerName(ownerName ?? ""),
    mailingAddress: owner?.mailingaddressoneline ?? null,
    absentee: parseAbsentee(owner?.absenteeownerstatus ?? summary?.absenteeind ?? null),
    propertyType: toPropertyType(summary),
    beds: positive(building?.rooms?.beds),
    baths: totalBaths(building?.rooms),
    sizeSqft: roundOrNull(
      positive(building?.size?.universalsize) ??
        positive(building?.size?.livingsize) ??
        positive(building?.size?.bldgsize),
    ),
    yearBuilt: roundOrNull(positive(summary?.yearbuilt)),
    estimatedValueCents: toCents(estimatedValue),
    assessedValueCents: toCents(positive(assessment?.assessed?.assdttlvalue)),
    equityPct: estimateEquityPct(estimatedValue, loanAmount, lastSalePrice),
    lastSaleDate: toIsoDate(
      saleAmount?.salerecdate ?? sale?.saletransdate ?? sale?.salesearchdate ?? null,
    ),
    lastSalePriceCents: toCents(lastSalePrice),
    latitude: location?.latitude ?? null,
    longitude: location?.longitude ?? null,
    // The property endpoints used for search carry no occupancy-vacancy flag.
    vacant: null,
  };
}

type AttomOwnerName = NonNullable<NonNullable<AttomProperty["owner"]>["owner1"]>;

/** detail* send `lastname` + `firstnameandmi`; entities put their whole name in `lastname`. */
function composeOwnerName(owner1: AttomOwnerName | undefined): string | null {
  if (!owner1) return null;
  const joined =
    owner1.fullname ?? [owner1.firstnameandmi, owner1.lastname].filter(Boolean).join(" ");
  const folded = joined.replace(/\s+/g, " ").trim();
  return folded === "" ? null : folded;
}

/** `absenteeownerstatus` is A/O; basicprofile's `absenteeInd` spells it out. */
function parseAbsentee(status: string | null): boolean | null {
  if (!status) return null;
  const upper = status.toUpperCase();
  if (upper === "A" || upper.includes("ABSENTEE")) return true;
  if (upper === "O" || upper.includes("OCCUPIED")) return false;
  return null;
}

const TYPE_BY_INDICATOR: Record<number, PropertyRecordType> = {
  10: "sfr",
  11: "condo",
  21: "multi_family",
  22: "apartment",
  80: "land",
};

function toPropertyType(summary: AttomProperty["summary"]): PropertyRecordType {
  const indicator = summary?.propindicator;
  if (indicator !== null && indicator !== undefined) return TYPE_BY_INDICATOR[indicator] ?? "other";

  const description = [
    summary?.proptype,
    summary?.propertytype,
    summary?.propclass,
    summary?.propsubtype,
  ]
    .filter(Boolean)
    .join(" ")
    .toUpperCase();
  if (/CONDO/.test(description)) return "condo";
  if (/DUPLEX|TRIPLEX|QUAD|MULTI|2-4/.test(description)) return "multi_family";
  if (/APARTMENT/.test(description)) return "apartment";
  if (/\bSFR\b|SINGLE FAMILY|TOWNHOUSE/.test(description)) return "sfr";
  if (/VACANT|\bLAND\b|\bLOT\b/.test(description)) return "land";
  return "other";
}

type AttomRooms = NonNullable<NonNullable<AttomProperty["building"]>["rooms"]>;

function totalBaths(rooms: AttomRooms | undefined): number | null {
  const total = positive(rooms?.bathstotal);
  if (total !== null) return total;
  const full = positive(rooms?.bathsfull);
  if (full === null) return null;
  return full + 0.5 * (positive(rooms?.bathshalf) ?? 0);
}

/**
 * Equity as a percentage of value, one decimal. With the last sale's recorded loans:
 * (value − original loan amount) / value — amortization ignored, so equity is understated.
 * Without loan data: (value − last sale price) / value, i.e. appreciation since the purchase,
 * which overstates equity for financed buyers and is the best available proxy. Sales under
 * $1,000 are nominal transfers (quit claims, $10 deeds), not prices, and give null.
 */
export function estimateEquityPct(
  valueDollars: number | null,
  loanDollars: number,
  lastSalePriceDollars: number | null,
): number | null {
  if (valueDollars === null || valueDollars <= 0) return null;
  const basis =
    loanDollars > 0
      ? loanDollars
      : lastSalePriceDollars !== null && lastSalePriceDollars >= 1000
        ? lastSalePriceDollars
        : null;
  if (basis === null) return null;
  return Math.round(((valueDollars - basis) / valueDollars) * 1000) / 10;
}

/** "2012-01-09", "2012-01-09T00:00:00", "2012/01/09", "01/09/2012 00:00:00" → "2012-01-09". */
export function toIsoDate(value: string | null): string | null {
  if (!value) return null;
  const ymd = /^(\d{4})[-/](\d{2})[-/](\d{2})/.exec(value);
  const mdy = /^(\d{1,2})\/(\d{1,2})\/(\d{4})/.exec(value);
  const [year, month, day] = ymd
    ? [ymd[1], ymd[2], ymd[3]]
    : mdy
      ? [mdy[3], mdy[1]?.padStart(2, "0"), mdy[2]?.padStart(2, "0")]
      : [];
  if (!year || !month || !day) return null;
  const iso = `${year}-${month}-${day}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(iso) ? iso : null;
}

function positive(value: number | null | undefined): number | null {
  return value !== null && value !== undefined && value > 0 ? value : null;
}

function positiveInt(value: number | null | undefined): number | null {
  return value !== null && value !== undefined && Number.isInteger(value) && value > 0
    ? value
    : null;
}

function roundOrNull(value: number | null): number | null {
  return value === null ? null : Math.round(value);
}

function toCents(dollars: number | null): number | null {
  return dollars === null ? null : Math.round(dollars * 100);
}
