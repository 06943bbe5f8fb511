/**
 * Header auto-detection: which column of an uploaded list feeds which lead field. Pure.
 *
 * Exports from PropStream, BatchLeads, DealMachine, county records and hand-made spreadsheets
 * name the same thing many ways ("Property Address", "SITUS_ADDR", "Owner 1 Full Name",
 * "ZipCode", "Phone 1", "Cell"): headers are folded (case, punctuation, camelCase, digits) and
 * matched first against exact synonyms, then against looser patterns. The user can correct the
 * result before importing.
 */
import type { ImportMapping, MultiImportField, SingleImportField } from "./fields";

/** "Owner1FirstName" → "owner 1 first name", "ZIP_CODE" → "zip code", "Equity (%)" → "equity %". */
export function foldHeader(header: string): string {
  return header
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .replace(/#/g, " ")
    .replace(/[^a-z0-9%]+/g, " ")
    .replace(/([a-z])(\d)/g, "$1 $2")
    .replace(/(\d)([a-z])/g, "$1 $2")
    .replace(/\s+/g, " ")
    .trim();
}

type Rule = { exact: readonly string[]; loose?: RegExp; not?: RegExp };

const MAILING = /\b(mail|mailing|owner)\b/;
/** Columns about a second (or later) owner never feed the owner of the lead. */
const LATER_OWNER = /\bowner (2|3|4)\b|\b(2nd|second) owner\b/;

const SINGLE_RULES: Record<SingleImportField, Rule> = {
  address: {
    exact: [
      "address", "property address", "street", "street address", "property street", "property street address",
      "site address", "situs address", "situs street address", "address 1", "address line 1", "property address line 1",
      "property address 1", "addr", "street 1", "prop address", "property addr", "situs addr", "site addr",
    ],
    loose: /\b(address|addr|street)\b/,
    not: /\b(mail|mailing|owner|e ?mail|city|state|zip|2)\b/,
  },
  city: {
    exact: ["city", "property city", "site city", "situs city", "prop city", "city name"],
    loose: /\bcity\b/,
    not: MAILING,
  },
  state: {
    exact: ["state", "property state", "site state", "situs state", "prop state", "st", "state code"],
    loose: /\bstate\b/,
    not: MAILING,
  },
  zip: {
    exact: ["zip", "zip code", "zipcode", "postal code", "postcode", "zip 5", "property zip", "property zip code", "site zip", "situs zip", "prop zip"],
    loose: /\b(zip|zipcode|postal)\b/,
    not: MAILING,
  },
  ownerName: {
    exact: [
      "owner", "owner name", "owner 1 name", "owner 1 full name", "owner full name", "owner name 1", "owner names",
      "full name", "name", "primary owner", "owner 1", "contact name", "owner 1 full", "owners",
    ],
    loose: /\bowner\b.*\bname\b|\bowner\b/,
    not: /\b(first|last|middle|mail|mailing|address|city|state|zip|type|occupied|phone|email|e mail|since|years)\b/,
  },
  ownerFirstName: {
    exact: ["owner first name", "owner 1 first name", "first name", "first", "owner first", "fname", "firstname", "contact first name"],
    loose: /\bfirst\b/,
    not: /\b(2|3|mail|mailing|address)\b/,
  },
  ownerLastName: {
    exact: ["owner last name", "owner 1 last name", "last name", "last", "owner last", "lname", "lastname", "surname", "contact last name"],
    loose: /\blast name\b|\bowner\b.*\blast\b/,
    not: /\b(2|3|mail|mailing|address|sale|sold)\b/,
  },
  mailingAddress: {
    exact: [
      "mailing address", "mail address", "mailing street", "mailing street address", "owner mailing address",
      "mailing address 1", "mail street", "owner address", "mailing address line 1", "mail addr", "owner mail address",
    ],
    loose: /\b(mail|mailing|owner)\b.*\b(address|addr|street)\b/,
    not: /\b(city|state|zip|e mail|email)\b/,
  },
  mailingCity: { exact: ["mailing city", "mail city", "owner city", "owner mailing city"], loose: /\b(mail|mailing|owner)\b.*\bcity\b/ },
  mailingState: { exact: ["mailing state", "mail state", "owner state", "owner mailing state"], loose: /\b(mail|mailing|owner)\b.*\bstate\b/ },
  mailingZip: {
    exact: ["mailing zip", "mail zip", "mailing zip code", "owner zip", "owner mailing zip", "mailing postal code"],
    loose: /\b(mail|mailing|owner)\b.*\b(zip|zipcode|postal)\b/,
  },
  propertyType: {
    exact: ["property type", "type", "land use", "property use", "use", "building type", "home type", "prop type"],
    loose: /\b(property type|land use|property use)\b/,
  },
  beds: {
    exact: ["beds", "bedrooms", "bed", "br", "bd", "bedroom count", "total bedrooms", "bedrooms count", "bedroom"],
    loose: /\bbed/,
  },
  baths: {
    exact: ["baths", "bathrooms", "bath", "ba", "total bathrooms", "bathroom count", "bathroom", "total baths"],
    loose: /\bbath/,
  },
  sqft: {
    exact: [
      "sqft", "sq ft", "square feet", "square footage", "living sqft", "living sq ft", "living area", "building sqft",
      "building sq ft", "living square feet", "size", "size sqft", "bldg sqft", "building size", "heated sqft", "building area",
    ],
    loose: /\b(sq ?ft|sqft|square f|living area|building (size|area))/,
    not: /\blot\b/,
  },
  yearBuilt: {
    exact: ["year built", "yr built", "built", "year", "built year", "effective year built", "yearbuilt"],
    loose: /\b(year|yr) built\b|\bbuilt\b/,
  },
  equityPct: {
    exact: ["equity %", "equity percent", "equity pct", "estimated equity %", "estimated equity percent", "equity percentage", "est equity %", "ltv equity %"],
    loose: /\bequity\b.*(%|\bpercent|\bpct)/,
  },
  assessedValue: {
    exact: ["assessed value", "total assessed value", "tax assessed value", "assessed total value", "assessment"],
    loose: /\bassess/,
    not: /\b(land|improvement|year)\b/,
  },
  estimatedValue: {
    exact: [
      "estimated value", "est value", "value", "market value", "estimated market value", "avm", "property value",
      "est market value", "estimated home value", "zestimate", "est property value",
    ],
    loose: /\b(estimated|est|market|avm|property)\b.*\bvalue\b|\bavm\b/,
    not: /\b(assess|tax|land|improvement|equity|loan)/,
  },
  lastSaleDate: {
    exact: ["last sale date", "last sold date", "sale date", "sold date", "last sale recording date", "date sold", "last transfer date", "purchase date", "recording date"],
    loose: /\b(sale|sold|transfer|purchase)\b.*\bdate\b|\bdate\b.*\b(sale|sold)\b/,
  },
  lastSalePrice: {
    exact: ["last sale price", "last sale amount", "sale price", "last sold price", "sold price", "purchase price", "last sale", "sale amount", "last transfer amount"],
    loose: /\b(sale|sold|purchase|transfer)\b.*\b(price|amount)\b/,
  },
};

const MULTI_RULES: Record<MultiImportField, { loose: RegExp; not?: RegExp }> = {
  phones: {
    loose: /\b(phone|phones|mobile|cell|cellphone|landline|wireless|telephone|tel|ph)\b/,
    not: /\b(type|dnc|status|carrier|score|litigator|tcpa|verified|count|connected|line type|ext)\b/,
  },
  emails: {
    loose: /\b(e ?mail|emails|e ?mail address)\b/,
    not: /\b(status|verified|valid|count|opt)\b/,
  },
  tags: { loose: /^(tags?|lists?|list name|labels?|tag names?)$/ },
  notes: { loose: /^(notes?|comments?|remarks?|memo|lead notes?|property notes?|owner notes?)$/ },
};

/** Loose matching runs in this order so specific fields claim their columns first. */
const LOOSE_ORDER: readonly SingleImportField[] = [
  "mailingCity", "mailingState", "mailingZip", "mailingAddress",
  "ownerFirstName", "ownerLastName", "ownerName",
  "equityPct", "assessedValue", "lastSaleDate", "lastSalePrice", "estimatedValue",
  "address", "city", "state", "zip",
  "propertyType", "beds", "baths", "sqft", "yearBuilt",
];

export function emptyMapping(): ImportMapping {
  return { phones: [], emails: [], tags: [], notes: [], fixedTags: [] };
}

/** Guesses the mapping for a file's header row. Every column feeds at most one field. */
export function detectMapping(headers: readonly string[]): ImportMapping {
  const folded = headers.map(foldHeader);
  const taken = new Set<number>();
  const mapping = emptyMapping();
  const laterOwner = (i: number) => LATER_OWNER.test(folded[i] ?? "");

  // 1. exact synonyms, in the order of each field's synonym list
  for (const field of LOOSE_ORDER) {
    for (const synonym of SINGLE_RULES[field].exact) {
      const index = folded.findIndex((header, i) => header === synonym && !taken.has(i));
      if (index >= 0) {
        mapping[field] = index;
        taken.add(index);
        break;
      }
    }
  }

  // 2. multi-column fields: every matching column, left to right
  for (const [field, rule] of Object.entries(MULTI_RULES) as [MultiImportField, (typeof MULTI_RULES)[MultiImportField]][]) {
    folded.forEach((header, i) => {
      // a second owner's phones and emails still reach the property's owners: keep them
      if (taken.has(i) || !rule.loose.test(header) || rule.not?.test(header)) return;
      mapping[field].push(i);
      taken.add(i);
    });
  }

  // 3. looser patterns for the single fields still unmapped
  for (const field of LOOSE_ORDER) {
    if (mapping[field] !== undefined && mapping[field] !== null) continue;
    const rule = SINGLE_RULES[field];
    if (!rule.loose) continue;
    const index = folded.findIndex(
      (header, i) => !taken.has(i) && !laterOwner(i) && rule.loose!.test(header) && !rule.not?.test(header),
    );
    if (index >= 0) {
      mapping[field] = index;
      taken.add(index);
    }
  }
  return mapping;
}

/** Why a mapping cannot import leads yet, or null. `columnCount` bounds the column indexes. */
export function mappingProblem(mapping: ImportMapping, columnCount: number): string | null {
  const has = (index: number | null | undefined) => index !== null && index !== undefined;
  const { fixedTags: _fixedTags, ...columns } = mapping;
  const outOfRange = Object.entries(columns).find(([, value]) =>
    (Array.isArray(value) ? value : [value]).some((index) => has(index) && (index as number) >= columnCount),
  );
  if (outOfRange) return `The column chosen for ${outOfRange[0]} is not in the file.`;
  if (!has(mapping.address)) return "Choose the column that holds the property address.";
  if (!has(mapping.zip) && !(has(mapping.city) && has(mapping.state))) {
    return "Choose the ZIP code column (or both the city and state columns) so addresses can be matched.";
  }
  return null;
}
