/**
 * The sandbox property-search provider: deterministic, realistic fake records for any US
 * location, used in development and when no ATTOM key is configured. No network.
 *
 * Each area (a ZIP, a city, a county) owns a fixed population of 300–500 properties generated
 * from a hash of the area, as of a fixed reference date; a search filters the population and
 * pages it. The same query always returns the same properties, a ZIP's properties are the same
 * whether it is searched alone or with other ZIPs, and `total` is the filtered count.
 */
import { normalizeZip5 } from "@/lib/address";
import { fnv1a32, seededRandom, type SeededRandom } from "@/lib/random";
import { stateOfZip, zip3sOfState } from "@/lib/us-zip3";
import { billed, ProviderCallError, type Billed } from "../billing";
import {
  distanceMiles,
  isRadiusLocation,
  matchesPropertyFilters,
  plannedCalls,
  type RadiusLocation,
  type PropertyRecord,
  type PropertyRecordType,
  type PropertySearchOptions,
  type PropertySearchPage,
  type PropertySearchProvider,
  type PropertySearchQuery,
  type SearchLocation,
} from "../property-search";
import { sandboxPlaceGeoId } from "./place-resolver";
import { usPlaces, type UsPlaces, type ZipPlace } from "./us-places";

/** The "today" of the generated data: sale dates and years owned count back from it. */
export const SANDBOX_REFERENCE_DATE = "2026-06-30";

/** A ZIP the sandbox always fails, unbilled, like a provider outage (for tests and demos of per-ZIP errors). */
export const SANDBOX_OUTAGE_ZIP = "00000";

export function createSandboxPropertySearch(): PropertySearchProvider {
  return {
    name: "sandbox",
    simulated: true,
    supportsCityCounty: true,
    async search(
      query: PropertySearchQuery,
      opts: PropertySearchOptions = {},
    ): Promise<Billed<PropertySearchPage>> {
      opts.signal?.throwIfAborted();
      if ("zips" in query.location && query.location.zips.includes(SANDBOX_OUTAGE_ZIP)) {
        throw new ProviderCallError(
          "PROVIDER_UNAVAILABLE",
          `The sandbox provider simulates an outage for ZIP ${SANDBOX_OUTAGE_ZIP} (HTTP 500). Nothing was charged for it; try again later.`,
        );
      }
      const places = await usPlaces();
      const population = isRadiusLocation(query.location) ? populationInCircle(query.location, places) : populationOf(query.location, places);
      const matching = population.filter((record) => matchesPropertyFilters(record, query.filters));
      const start = (query.page - 1) * query.pageSize;
      return {
        value: {
          properties: matching.slice(start, start + query.pageSize),
          total: matching.length,
          page: query.page,
          pageSize: query.pageSize,
        },
        // Simulates ATTOM: one billed call per ZIP.
        billing: billed(plannedCalls(query)),
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Geography
// ---------------------------------------------------------------------------------------------

/** Split a "A, B, C" table row. */
function list(text: string): string[] {
  return text
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

interface StateProfile {
  /** Rough median home value in dollars. */
  medianValue: number;
  /** Where most people live, not the geographic centroid. */
  lat: number;
  lon: number;
  cities: readonly string[];
  /** USPS three-digit ZIP prefixes. */
  zip3s: readonly number[];
}

/** state: [median value, lat, lon, largest cities] */
const STATE_TABLE: Record<string, readonly [number, number, number, string]> = {
  AL: [225_000, 33.2, -86.8, "BIRMINGHAM, HUNTSVILLE, MONTGOMERY, MOBILE"],
  AK: [360_000, 61.2, -149.9, "ANCHORAGE, FAIRBANKS, JUNEAU"],
  AZ: [430_000, 33.4, -112.0, "PHOENIX, TUCSON, MESA, CHANDLER"],
  AR: [200_000, 34.8, -92.3, "LITTLE ROCK, FAYETTEVILLE, FORT SMITH"],
  CA: [760_000, 35.5, -119.3, "LOS ANGELES, SAN DIEGO, SAN JOSE, SACRAMENTO, FRESNO"],
  CO: [540_000, 39.6, -105.0, "DENVER, COLORADO SPRINGS, AURORA, FORT COLLINS"],
  CT: [390_000, 41.6, -72.7, "HARTFORD, NEW HAVEN, BRIDGEPORT, STAMFORD"],
  DE: [370_000, 39.4, -75.6, "WILMINGTON, DOVER, NEWARK"],
  DC: [610_000, 38.9, -77.03, "WASHINGTON"],
  FL: [390_000, 27.8, -81.6, "MIAMI, ORLANDO, TAMPA, JACKSONVILLE"],
  GA: [320_000, 33.6, -84.3, "ATLANTA, SAVANNAH, AUGUSTA, MACON"],
  HI: [830_000, 21.3, -157.8, "HONOLULU, HILO, KAILUA"],
  ID: [450_000, 43.6, -116.2, "BOISE, MERIDIAN, NAMPA, IDAHO FALLS"],
  IL: [260_000, 41.5, -88.2, "CHICAGO, AURORA, ROCKFORD, SPRINGFIELD"],
  IN: [240_000, 39.8, -86.2, "INDIANAPOLIS, FORT WAYNE, EVANSVILLE"],
  IA: [220_000, 41.9, -93.1, "DES MOINES, CEDAR RAPIDS, DAVENPORT"],
  KS: [230_000, 38.5, -97.4, "WICHITA, OVERLAND PARK, KANSAS CITY, TOPEKA"],
  KY: [210_000, 37.8, -85.3, "LOUISVILLE, LEXINGTON, BOWLING GREEN"],
  LA: [200_000, 30.5, -91.2, "NEW ORLEANS, BATON ROUGE, SHREVEPORT, LAFAYETTE"],
  ME: [390_000, 44.1, -70.0, "PORTLAND, LEWISTON, BANGOR"],
  MD: [420_000, 39.2, -76.7, "BALTIMORE, COLUMBIA, GERMANTOWN, FREDERICK"],
  MA: [610_000, 42.3, -71.4, "BOSTON, WORCESTER, SPRINGFIELD, LOWELL"],
  MI: [240_000, 42.7, -84.0, "DETROIT, GRAND RAPIDS, LANSING, ANN ARBOR"],
  MN: [330_000, 45.0, -93.4, "MINNEAPOLIS, SAINT PAUL, ROCHESTER, DULUTH"],
  MS: [180_000, 32.5, -89.7, "JACKSON, GULFPORT, HATTIESBURG"],
  MO: [250_000, 38.5, -92.4, "KANSAS CITY, SAINT LOUIS, SPRINGFIELD, COLUMBIA"],
  MT: [460_000, 46.3, -110.6, "BILLINGS, MISSOULA, BOZEMAN, GREAT FALLS"],
  NE: [260_000, 41.1, -96.9, "OMAHA, LINCOLN, GRAND ISLAND"],
  NV: [430_000, 36.2, -115.1, "LAS VEGAS, HENDERSON, RENO"],
  NH: [470_000, 43.0, -71.5, "MANCHESTER, NASHUA, CONCORD"],
  NJ: [520_000, 40.4, -74.4, "NEWARK, JERSEY CITY, PATERSON, TRENTON"],
  NM: [300_000, 35.0, -106.4, "ALBUQUERQUE, LAS CRUCES, SANTA FE"],
  NY: [470_000, 41.5, -74.4, "NEW YORK, BUFFALO, ROCHESTER, SYRACUSE, ALBANY"],
  NC: [330_000, 35.6, -79.6, "CHARLOTTE, RALEIGH, GREENSBORO, DURHAM"],
  ND: [260_000, 46.9, -97.9, "FARGO, BISMARCK, GRAND FORKS"],
  OH: [230_000, 40.4, -82.6, "COLUMBUS, CLEVELAND, CINCINNATI, TOLEDO"],
  OK: [200_000, 35.6, -96.9, "OKLAHOMA CITY, TULSA, NORMAN"],
  OR: [490_000, 44.9, -122.8, "PORTLAND, SALEM, EUGENE, BEND"],
  PA: [270_000, 40.5, -76.9, "PHILADELPHIA, PITTSBURGH, ALLENTOWN, ERIE"],
  RI: [450_000, 41.8, -71.4, "PROVIDENCE, WARWICK, CRANSTON"],
  SC: [290_000, 34.0, -81.0, "CHARLESTON, COLUMBIA, GREENVILLE"],
  SD: [300_000, 43.9, -97.9, "SIOUX FALLS, RAPID CITY, ABERDEEN"],
  TN: [320_000, 35.8, -86.4, "NASHVILLE, MEMPHIS, KNOXVILLE, CHATTANOOGA"],
  TX: [300_000, 30.9, -97.2, "HOUSTON, SAN ANTONIO, DALLAS, AUSTIN, FORT WORTH"],
  UT: [530_000, 40.6, -111.9, "SALT LAKE CITY, WEST VALLEY CITY, PROVO, OGDEN"],
  VT: [390_000, 44.2, -72.8, "BURLINGTON, RUTLAND, MONTPELIER"],
  VA: [390_000, 37.9, -77.6, "VIRGINIA BEACH, RICHMOND, NORFOLK, ARLINGTON"],
  WA: [590_000, 47.4, -122.2, "SEATTLE, SPOKANE, TACOMA, VANCOUVER"],
  WV: [160_000, 38.6, -80.9, "CHARLESTON, HUNTINGTON, MORGANTOWN"],
  WI: [290_000, 43.6, -88.9, "MILWAUKEE, MADISON, GREEN BAY"],
  WY: [340_000, 42.6, -106.4, "CHEYENNE, CASPER, LARAMIE"],
  PR: [150_000, 18.4, -66.1, "SAN JUAN, BAYAMON, PONCE"],
  VI: [350_000, 18.34, -64.93, "CHARLOTTE AMALIE, CHRISTIANSTED"],
  GU: [300_000, 13.47, 144.75, "HAGATNA, DEDEDO, TAMUNING"],
  // American Samoa and the Northern Marianas share ZIP3s with Hawaii and Guam.
  AS: [200_000, -14.28, -170.7, "PAGO PAGO"],
  MP: [250_000, 15.19, 145.75, "SAIPAN"],
};

const STATES: Record<string, StateProfile> = Object.fromEntries(
  Object.entries(STATE_TABLE).map(([state, [medianValue, lat, lon, cities]]) => [
    state,
    { medianValue, lat, lon, cities: list(cities), zip3s: zip3sOfState(state) },
  ]),
);

interface Metro {
  zip3: number;
  city: string;
  state: string;
  lat: number;
  lon: number;
  /** Home values relative to the state median. */
  valueFactor: number;
}

/** The main ZIP3 of large cities: "zip3 CITY, ST, lat, lon, value factor". */
const METROS: readonly Metro[] = `
  021 BOSTON, MA, 42.33, -71.07, 1.3
  100 NEW YORK, NY, 40.76, -73.98, 1.7
  104 BRONX, NY, 40.84, -73.87, 1.1
  112 BROOKLYN, NY, 40.65, -73.95, 1.8
  191 PHILADELPHIA, PA, 39.98, -75.15, 0.95
  152 PITTSBURGH, PA, 40.44, -79.98, 0.85
  212 BALTIMORE, MD, 39.30, -76.61, 0.6
  200 WASHINGTON, DC, 38.91, -77.02, 1
  232 RICHMOND, VA, 37.54, -77.45, 0.9
  282 CHARLOTTE, NC, 35.22, -80.84, 1.15
  276 RALEIGH, NC, 35.80, -78.64, 1.3
  303 ATLANTA, GA, 33.76, -84.39, 1.2
  322 JACKSONVILLE, FL, 30.33, -81.66, 0.8
  328 ORLANDO, FL, 28.54, -81.38, 1
  331 MIAMI, FL, 25.77, -80.21, 1.3
  333 FORT LAUDERDALE, FL, 26.12, -80.14, 1.25
  336 TAMPA, FL, 27.96, -82.46, 1
  352 BIRMINGHAM, AL, 33.52, -86.80, 0.8
  372 NASHVILLE, TN, 36.16, -86.78, 1.4
  381 MEMPHIS, TN, 35.12, -89.98, 0.6
  402 LOUISVILLE, KY, 38.23, -85.74, 1.05
  432 COLUMBUS, OH, 39.97, -82.99, 1.15
  441 CLEVELAND, OH, 41.48, -81.69, 0.55
  452 CINCINNATI, OH, 39.12, -84.50, 1
  462 INDIANAPOLIS, IN, 39.78, -86.15, 0.95
  482 DETROIT, MI, 42.37, -83.10, 0.4
  495 GRAND RAPIDS, MI, 42.96, -85.66, 1.1
  532 MILWAUKEE, WI, 43.05, -87.95, 0.75
  554 MINNEAPOLIS, MN, 44.97, -93.26, 1
  606 CHICAGO, IL, 41.86, -87.67, 1.2
  631 SAINT LOUIS, MO, 38.63, -90.24, 0.75
  641 KANSAS CITY, MO, 39.07, -94.55, 0.95
  681 OMAHA, NE, 41.26, -96.00, 1
  701 NEW ORLEANS, LA, 29.96, -90.07, 1.3
  722 LITTLE ROCK, AR, 34.74, -92.31, 1
  731 OKLAHOMA CITY, OK, 35.48, -97.52, 1
  741 TULSA, OK, 36.14, -95.95, 1
  752 DALLAS, TX, 32.79, -96.79, 1.2
  761 FORT WORTH, TX, 32.74, -97.34, 1
  770 HOUSTON, TX, 29.76, -95.39, 1
  782 SAN ANTONIO, TX, 29.44, -98.50, 0.9
  787 AUSTIN, TX, 30.28, -97.73, 1.7
  799 EL PASO, TX, 31.78, -106.44, 0.75
  802 DENVER, CO, 39.74, -104.98, 1.1
  809 COLORADO SPRINGS, CO, 38.85, -104.80, 0.85
  837 BOISE, ID, 43.61, -116.21, 1.05
  841 SALT LAKE CITY, UT, 40.75, -111.88, 1
  850 PHOENIX, AZ, 33.48, -112.07, 1
  857 TUCSON, AZ, 32.23, -110.94, 0.8
  871 ALBUQUERQUE, NM, 35.10, -106.62, 1.05
  891 LAS VEGAS, NV, 36.15, -115.16, 1
  895 RENO, NV, 39.53, -119.81, 1.3
  900 LOS ANGELES, CA, 34.05, -118.29, 1.2
  921 SAN DIEGO, CA, 32.74, -117.13, 1.2
  937 FRESNO, CA, 36.77, -119.79, 0.55
  941 SAN FRANCISCO, CA, 37.76, -122.44, 1.8
  951 SAN JOSE, CA, 37.33, -121.88, 1.9
  958 SACRAMENTO, CA, 38.57, -121.47, 0.75
  968 HONOLULU, HI, 21.31, -157.84, 1.2
  972 PORTLAND, OR, 45.53, -122.65, 1.1
  981 SEATTLE, WA, 47.62, -122.33, 1.5
  992 SPOKANE, WA, 47.66, -117.42, 0.7
  995 ANCHORAGE, AK, 61.19, -149.87, 1
`
  .trim()
  .split("\n")
  .map((row) => {
    const [zip3AndCity = "", state = "", lat, lon, valueFactor] = list(row);
    return {
      zip3: Number(zip3AndCity.slice(0, 3)),
      city: zip3AndCity.slice(4),
      state,
      lat: Number(lat),
      lon: Number(lon),
      valueFactor: Number(valueFactor),
    };
  });

/** Where a population sits and what its homes are worth. */
interface Area {
  /** The same key always yields the same properties. */
  key: string;
  state: string;
  cities: readonly string[];
  zips: readonly string[];
  /** Each ZIP's own city, when the area's ZIPs are real ones (us-places.ts). */
  cityOfZip?: ReadonlyMap<string, string>;
  lat: number;
  lon: number;
  /** Spread of coordinates around the center, in degrees. */
  radius: number;
  medianValue: number;
}

function stateProfile(state: string): StateProfile {
  return STATES[state] ?? (STATES.TX as StateProfile);
}

function stateOfZipOrDefault(zip: string): string {
  return stateOfZip(zip) ?? "NY";
}

function metroOfZip3(zip3: number): Metro | undefined {
  return METROS.find((metro) => metro.zip3 === zip3);
}

function randomZip3Of(state: string, random: SeededRandom): number {
  const { zip3s } = stateProfile(state);
  return zip3s.length > 0 ? random.pick(zip3s) : 750;
}

function randomZipsIn(zip3: number, count: number, random: SeededRandom): string[] {
  const zips = new Set<string>();
  while (zips.size < count) {
    zips.add(`${String(zip3).padStart(3, "0")}${String(random.int(1, 99)).padStart(2, "0")}`);
  }
  return [...zips].sort();
}

function zipArea(zip: string, places: UsPlaces): Area {
  const key = `zip:${zip}`;
  const random = seededRandom(key);
  const state = stateOfZipOrDefault(zip);
  const profile = stateProfile(state);
  const metro = metroOfZip3(Number(zip.slice(0, 3)));
  // ZIPs of a metro sit a few miles from its center; others anywhere in the state.
  const spread = metro ? 0.12 : 1.2;
  const guessedCity = metro?.city ?? random.pick(profile.cities);
  const [latOffset, lonOffset] = [random.float(-spread, spread), random.float(-spread, spread)];
  // A real ZIP is its own place: its city and coordinates, not its metro's.
  const real = places.zip(zip);
  return {
    key,
    state,
    cities: [real?.city ?? guessedCity],
    zips: [zip],
    lat: real ? real.lat : (metro?.lat ?? profile.lat) + latOffset,
    lon: real ? real.lon : (metro?.lon ?? profile.lon) + lonOffset,
    radius: 0.025,
    medianValue: profile.medianValue * (metro?.valueFactor ?? 1) * random.float(0.75, 1.3),
  };
}

/** The parts of an area its real ZIPs decide: the ZIPs, each one's city, the center. */
function realGeography(zips: readonly ZipPlace[]): Pick<Area, "zips" | "cities" | "cityOfZip" | "lat" | "lon"> {
  return {
    zips: zips.map((place) => place.zip),
    cities: [...new Set(zips.map((place) => place.city))],
    cityOfZip: new Map(zips.map((place) => [place.zip, place.city])),
    lat: zips.reduce((sum, place) => sum + place.lat, 0) / zips.length,
    lon: zips.reduce((sum, place) => sum + place.lon, 0) / zips.length,
  };
}

function cityArea(city: string, state: string, places: UsPlaces, geoIdV4?: string): Area {
  // Same-named cities of a state (the chooser's choices) are different places; any other city
  // keeps the population it has when searched by name.
  const twin = geoIdV4 !== undefined && geoIdV4 !== sandboxPlaceGeoId("city", city, state);
  const key = twin ? `city:${city}|${state}|${geoIdV4}` : `city:${city}|${state}`;
  const random = seededRandom(key);
  const profile = stateProfile(state);
  const metro = METROS.find((candidate) => candidate.city === city && candidate.state === state);
  const guessed = {
    cities: [city],
    zips: randomZipsIn(metro?.zip3 ?? randomZip3Of(state, random), random.int(3, 6), random),
    lat: metro?.lat ?? profile.lat + random.float(-1, 1),
    lon: metro?.lon ?? profile.lon + random.float(-1, 1),
  };
  // A real city has its real ZIPs (the chooser's made-up twins keep made-up ones).
  const real = twin ? [] : places.zipsOf("city", city, state);
  return {
    key,
    state,
    ...(real.length > 0 ? { ...realGeography(real), cities: [city] } : guessed),
    radius: 0.08,
    medianValue: profile.medianValue * (metro?.valueFactor ?? random.float(0.7, 1.1)),
  };
}

function countyArea(county: string, state: string, places: UsPlaces): Area {
  const key = `county:${county}|${state}`;
  const random = seededRandom(key);
  const profile = stateProfile(state);
  const zip3 = randomZip3Of(state, random);
  const metro = metroOfZip3(zip3);
  const cities = new Set(metro ? [metro.city] : []);
  const cityCount = metro ? 1 : Math.min(profile.cities.length, random.int(1, 3));
  while (cities.size < cityCount) cities.add(random.pick(profile.cities));
  const guessed = {
    cities: [...cities],
    zips: randomZipsIn(zip3, random.int(4, 8), random),
    lat: metro?.lat ?? profile.lat + random.float(-1, 1),
    lon: metro?.lon ?? profile.lon + random.float(-1, 1),
  };
  // A real county has its real ZIPs, each with its own city.
  const real = places.zipsOf("county", county, state);
  return {
    key,
    state,
    ...(real.length > 0 ? realGeography(real) : guessed),
    radius: 0.2,
    medianValue: profile.medianValue * (metro?.valueFactor ?? 1) * random.float(0.6, 1.15),
  };
}

/** The query schema has already uppercased city, county and state. */
function areasOf(location: Exclude<SearchLocation, RadiusLocation>, places: UsPlaces): Area[] {
  if ("zips" in location) return location.zips.map((zip) => zipArea(normalizeZip5(zip), places));
  if ("city" in location) return [cityArea(location.city, location.state, places, location.geoIdV4)];
  return [countyArea(location.county, location.state, places)];
}

/**
 * How far a ZIP's properties sit from its centre at most: `zipArea` spreads them ±0.025° in each
 * direction (under 2.2 miles at any US latitude up to 50°N; Alaska's are further out, and a circle
 * there may miss some of a ZIP's edge, never include a property outside it).
 */
const ZIP_SPREAD_MILES = 2.5;
/** The nearest ZIPs a circle draws from (a 20-mile circle in a dense city holds a few hundred). */
const MAX_ZIPS_PER_CIRCLE = 80;

/**
 * A circle: the properties of the real ZIPs around the point (each ZIP's own population, the same
 * as when that ZIP is searched) whose coordinates fall inside it, nearest first.
 */
function populationInCircle(circle: RadiusLocation, places: UsPlaces): PropertyRecord[] {
  const center = { lat: circle.latitude, lon: circle.longitude };
  const zips = places.zipsNear(center.lat, center.lon, circle.radiusMiles + ZIP_SPREAD_MILES).slice(0, MAX_ZIPS_PER_CIRCLE);
  const inside = populationOf({ zips: zips.map((place) => place.zip) }, places).flatMap((record) => {
    if (record.latitude === null || record.longitude === null) return [];
    const miles = distanceMiles(center, { lat: record.latitude, lon: record.longitude });
    return miles <= circle.radiusMiles ? [{ record, miles }] : [];
  });
  return inside.sort((a, b) => a.miles - b.miles || a.record.externalId.localeCompare(b.record.externalId)).map(({ record }) => record);
}

// ---------------------------------------------------------------------------------------------
// Population
// ---------------------------------------------------------------------------------------------

const POPULATION_CACHE_LIMIT = 96; // above the 80 ZIPs a radius circle may draw from
const populationCache = new Map<string, PropertyRecord[]>();

function populationOf(location: Exclude<SearchLocation, RadiusLocation>, places: UsPlaces): PropertyRecord[] {
  return areasOf(location, places).flatMap((area) => {
    const cached = populationCache.get(area.key);
    if (cached) return cached;
    const population = generatePopulation(area);
    if (populationCache.size >= POPULATION_CACHE_LIMIT) {
      const oldest = populationCache.keys().next().value;
      if (oldest !== undefined) populationCache.delete(oldest);
    }
    populationCache.set(area.key, population);
    return population;
  });
}

const STREET_NAMES = list(`
  MAIN, OAK, MAPLE, CEDAR, PINE, ELM, WALNUT, CHESTNUT, WILLOW, BIRCH, HICKORY, MAGNOLIA, DOGWOOD,
  SYCAMORE, WASHINGTON, JEFFERSON, LINCOLN, MADISON, FRANKLIN, JACKSON, MONROE, ADAMS, LAKE, HILL,
  PARK, RIDGE, MEADOW, FOREST, RIVER, SPRING, SUNSET, HIGHLAND, VALLEY, CHURCH, MILL, SCHOOL,
  COLLEGE, CENTER, PROSPECT, PLEASANT, FAIRVIEW, LAUREL, HOLLY, JUNIPER, ASPEN, COTTONWOOD,
  WILDWOOD, BRIARWOOD, SHADY OAK, QUAIL RUN, FOX CHASE, STONEBRIDGE, HARVEST, 2ND, 3RD, 4TH, 5TH,
  6TH, 7TH, 8TH, 9TH, 10TH, 12TH, 14TH
`);

const STREET_SUFFIXES: readonly (readonly [string, number])[] = [
  ["ST", 26],
  ["AVE", 18],
  ["DR", 16],
  ["RD", 10],
  ["LN", 8],
  ["CT", 7],
  ["WAY", 5],
  ["CIR", 3],
  ["PL", 3],
  ["BLVD", 2],
  ["TER", 1],
  ["PKWY", 1],
];

const FIRST_NAMES = list(`
  JAMES, MARY, ROBERT, PATRICIA, JOHN, JENNIFER, MICHAEL, LINDA, DAVID, ELIZABETH, WILLIAM, BARBARA,
  RICHARD, SUSAN, JOSEPH, JESSICA, THOMAS, SARAH, CHARLES, KAREN, CHRISTOPHER, LISA, DANIEL, NANCY,
  MATTHEW, BETTY, ANTHONY, SANDRA, MARK, MARGARET, DONALD, ASHLEY, STEVEN, KIMBERLY, ANDREW, EMILY,
  KENNETH, DONNA, JOSHUA, MICHELLE, KEVIN, CAROL, BRIAN, AMANDA, GEORGE, MELISSA, LUIS, ROSA,
  CARLOS, MARIA, WEI, MEI, MINH, ANH, RAJ, PRIYA, DARNELL, TANISHA, HIROSHI, YUKI
`);

const LAST_NAMES = list(`
  SMITH, JOHNSON, WILLIAMS, BROWN, JONES, GARCIA, MILLER, DAVIS, RODRIGUEZ, MARTINEZ, HERNANDEZ,
  LOPEZ, GONZALEZ, WILSON, ANDERSON, THOMAS, TAYLOR, MOORE, JACKSON, MARTIN, LEE, PEREZ, THOMPSON,
  WHITE, HARRIS, SANCHEZ, CLARK, RAMIREZ, LEWIS, ROBINSON, WALKER, YOUNG, ALLEN, KING, WRIGHT,
  SCOTT, TORRES, NGUYEN, HILL, FLORES, GREEN, ADAMS, NELSON, BAKER, HALL, RIVERA, CAMPBELL,
  MITCHELL, CARTER, ROBERTS, OKAFOR, PATEL, CHEN, KOWALSKI, OBRIEN, MURPHY, SULLIVAN, BERGSTROM,
  TANAKA, HAYES
`);

const COMPANY_WORDS = list(`
  BLUE OAK, SUMMIT RIDGE, KEYSTONE, IRON GATE, LANTERN, NORTHSTAR, RED CEDAR, SILVER PINE,
  HARBORVIEW, CORNERSTONE, GOLDEN KEY, BRIGHTPATH, STONEGATE, TRUE NORTH, MAPLE LEAF
`);
const COMPANY_NOUNS = list(
  "PROPERTIES, HOLDINGS, INVESTMENTS, CAPITAL, RENTALS, HOMES, REALTY, VENTURES",
);

const REFERENCE_YEAR = Number(SANDBOX_REFERENCE_DATE.slice(0, 4));
const REFERENCE_TIME = Date.parse(`${SANDBOX_REFERENCE_DATE}T00:00:00Z`);
const DAY_MS = 86_400_000;

function generatePopulation(area: Area): PropertyRecord[] {
  const random = seededRandom(area.key);
  const idPrefix = `sbx-${fnv1a32(area.key).toString(36)}`;
  const streets = generateStreets(random);
  const condoBuildings = Array.from(
    { length: random.int(3, 7) },
    () => `${random.int(100, 4999)} ${random.pick(streets)}`,
  );
  const assessmentRatio = random.float(0.55, 1);
  const usedAddresses = new Set<string>();
  const size = random.int(300, 500);
  const records: PropertyRecord[] = [];

  for (let index = 0; records.length < size; index++) {
    const type = random.weighted<PropertyRecordType>([
      ["sfr", 62],
      ["condo", 13],
      ["multi_family", 12],
      ["apartment", 3],
      ["land", 7],
      ["other", 3],
    ]);
    const zip = random.pick(area.zips);
    const pickedCity = random.pick(area.cities);
    const city = area.cityOfZip?.get(zip) ?? pickedCity;
    const line1 =
      type === "condo"
        ? `${random.pick(condoBuildings)} UNIT ${random.int(1, 12)}${String(random.int(1, 16)).padStart(2, "0")}`
        : `${random.int(100, 9899)} ${random.pick(streets)}`;
    if (usedAddresses.has(`${line1}|${zip}`)) continue;
    usedAddresses.add(`${line1}|${zip}`);

    const facts = generateFacts(type, area.medianValue, random);
    const sale = generateSale(facts.valueDollars, facts.yearBuilt, random);
    const owner = generateOwner(type, random);
    const absentee = random.chance(owner.isCorporate ? 0.85 : 0.2);
    // Owners who have held longer, and investors who bought with cash, more often owe nothing.
    const freeAndClearOdds = Math.min(
      0.9,
      0.12 + sale.yearsOwned / 35 + (owner.isCorporate ? 0.2 : 0),
    );
    const equityPct =
      sale.priceDollars === null
        ? null
        : random.chance(freeAndClearOdds)
          ? 100
          : equityWithLoan(facts.valueDollars, sale, random);

    records.push({
      externalId: `${idPrefix}-${index}`,
      address: { line1, city, state: area.state, zip },
      ownerName: owner.name,
      ownerIsCorporate: owner.isCorporate,
      mailingAddress: absentee
        ? generateMailingAddress(area, streets, random)
        : `${line1}, ${city}, ${area.state} ${zip}`,
      absentee,
      propertyType: type,
      beds: facts.beds,
      baths: facts.baths,
      sizeSqft: facts.sizeSqft,
      yearBuilt: facts.yearBuilt,
      estimatedValueCents: facts.valueDollars * 100,
      assessedValueCents:
        roundTo(facts.valueDollars * assessmentRatio * random.float(0.9, 1.05), 10) * 100,
      equityPct,
      lastSaleDate: sale.date,
      lastSalePriceCents: sale.priceDollars === null ? null : sale.priceDollars * 100,
      latitude: round6(area.lat + random.float(-area.radius, area.radius)),
      longitude: round6(area.lon + random.float(-area.radius, area.radius)),
      vacant: type === "land" ? null : random.chance(absentee ? 0.08 : 0.02),
    });
  }
  return records;
}

function generateStreets(random: SeededRandom): string[] {
  const streets = new Set<string>();
  const count = random.int(24, 40);
  while (streets.size < count) {
    const direction = random.chance(0.15) ? `${random.pick(["N", "S", "E", "W"])} ` : "";
    streets.add(`${direction}${random.pick(STREET_NAMES)} ${random.weighted(STREET_SUFFIXES)}`);
  }
  return [...streets];
}

interface Facts {
  beds: number | null;
  baths: number | null;
  sizeSqft: number | null;
  yearBuilt: number | null;
  valueDollars: number;
}

function generateFacts(type: PropertyRecordType, medianValue: number, random: SeededRandom): Facts {
  const yearBuilt = () => {
    const [from, to] = random.weighted([
      [[1900, 1939], 12],
      [[1940, 1969], 25],
      [[1970, 1999], 35],
      [[2000, 2024], 28],
    ] as const);
    return random.int(from, to);
  };
  const valueFor = (sizeSqft: number, low: number, high: number) =>
    Math.max(
      15_000,
      roundTo(medianValue * (sizeSqft / 1800) ** 0.75 * random.float(low, high), 1000),
    );

  if (type === "land") {
    const valueDollars = Math.max(5_000, roundTo(medianValue * random.float(0.08, 0.45), 1000));
    return { beds: null, baths: null, sizeSqft: null, yearBuilt: null, valueDollars };
  }
  if (type === "apartment" || type === "other") {
    const sizeSqft = type === "apartment" ? random.int(5_000, 48_000) : random.int(1_500, 12_000);
    return {
      beds: null,
      baths: null,
      sizeSqft,
      yearBuilt: yearBuilt(),
      valueDollars: valueFor(sizeSqft, 0.6, 1.05),
    };
  }
  if (type === "multi_family") {
    const units = random.int(2, 4);
    const bedsPerUnit = random.int(1, 3);
    const sizeSqft = units * (bedsPerUnit * 350 + random.int(250, 500));
    return {
      beds: units * bedsPerUnit,
      baths: units * (bedsPerUnit === 1 ? 1 : random.pick([1, 1.5, 2])),
      sizeSqft,
      yearBuilt: yearBuilt(),
      valueDollars: valueFor(sizeSqft, 0.8, 1.15),
    };
  }
  if (type === "condo") {
    const beds = random.weighted([
      [1, 35],
      [2, 45],
      [3, 20],
    ]);
    const sizeSqft = beds * 380 + random.int(150, 450);
    return {
      beds,
      baths: beds === 1 ? 1 : random.pick([1.5, 2, 2, 2.5]),
      sizeSqft,
      yearBuilt: random.int(1965, 2024),
      valueDollars: valueFor(sizeSqft, 0.75, 1.1),
    };
  }
  const beds = random.weighted([
    [2, 14],
    [3, 44],
    [4, 29],
    [5, 10],
    [6, 3],
  ]);
  const sizeSqft = beds * 480 + random.int(-150, 900);
  const built = yearBuilt();
  const ageFactor = built >= 2000 ? 1.1 : built < 1950 ? 0.9 : 1;
  return {
    beds,
    baths: Math.max(1, Math.min(4.5, beds - 1 + random.pick([-0.5, 0, 0, 0.5, 1]))),
    sizeSqft,
    yearBuilt: built,
    valueDollars: valueFor(sizeSqft, 0.78 * ageFactor, 1.25 * ageFactor),
  };
}

interface Sale {
  date: string | null;
  year: number;
  yearsOwned: number;
  priceDollars: number | null;
}

function generateSale(valueDollars: number, yearBuilt: number | null, random: SeededRandom): Sale {
  // Long-held properties (inherited, pre-digital records) often have no sale on file.
  if (random.chance(0.06)) return { date: null, year: 0, yearsOwned: 0, priceDollars: null };
  const [from, to] = random.weighted([
    [[0.2, 3], 20],
    [[3, 10], 35],
    [[10, 20], 28],
    [[20, 40], 17],
  ] as const);
  const sinceBuilt = yearBuilt === null ? 45 : Math.max(0.2, REFERENCE_YEAR - yearBuilt - 0.5);
  const yearsOwned = Math.min(random.float(from, to), sinceBuilt);
  const date = new Date(REFERENCE_TIME - Math.round(yearsOwned * 365.25) * DAY_MS)
    .toISOString()
    .slice(0, 10);
  const priceAtSale = (valueDollars / 1.045 ** yearsOwned) * random.float(0.85, 1.08);
  return {
    date,
    year: Number(date.slice(0, 4)),
    yearsOwned,
    priceDollars: Math.max(5_000, roundTo(priceAtSale, 500)),
  };
}

/** A 30-year loan at the rate of its era, amortized to the reference date. */
function equityWithLoan(valueDollars: number, sale: Sale, random: SeededRandom): number {
  const annualRate =
    sale.year < 2009 ? 0.062 : sale.year < 2021 ? 0.04 : sale.year < 2022 ? 0.03 : 0.066;
  const monthlyRate = annualRate / 12;
  const principal = (sale.priceDollars ?? 0) * random.float(0.8, 0.965);
  const months = 360;
  const paid = Math.min(months, Math.round(sale.yearsOwned * 12));
  const growth = (1 + monthlyRate) ** months;
  const balance = (principal * (growth - (1 + monthlyRate) ** paid)) / (growth - 1);
  return Math.round(((valueDollars - balance) / valueDollars) * 1000) / 10;
}

function generateOwner(
  type: PropertyRecordType,
  random: SeededRandom,
): { name: string; isCorporate: boolean } {
  const corporateOdds =
    type === "apartment" || type === "other" ? 0.8 : type === "land" ? 0.3 : 0.14;
  const first = random.pick(FIRST_NAMES);
  const last = random.pick(LAST_NAMES);
  const initial = String.fromCharCode(65 + random.int(0, 25));
  if (!random.chance(corporateOdds)) {
    const name = random.chance(0.7) ? `${first} ${initial} ${last}` : `${first} ${last}`;
    return { name, isCorporate: false };
  }
  const name = random.weighted([
    [`${random.pick(COMPANY_WORDS)} ${random.pick(COMPANY_NOUNS)} LLC`, 45],
    [`${last} ${random.pick(COMPANY_NOUNS)} LLC`, 12],
    [`${random.pick(COMPANY_WORDS)} HOMES INC`, 8],
    [`${last} FAMILY TRUST`, 20],
    [`${first} ${initial} ${last} REVOCABLE LIVING TRUST`, 15],
  ]);
  return { name, isCorporate: true };
}

function generateMailingAddress(
  area: Area,
  streets: readonly string[],
  random: SeededRandom,
): string {
  const kind = random.weighted([
    ["local", 55],
    ["out_of_state", 32],
    ["po_box", 13],
  ] as const);
  const houseNumber = random.int(100, 9899);
  if (kind === "po_box") {
    return `PO BOX ${random.int(100, 99999)}, ${random.pick(area.cities)}, ${area.state} ${random.pick(area.zips)}`;
  }
  if (kind === "local") {
    return `${houseNumber} ${random.pick(streets)}, ${random.pick(area.cities)}, ${area.state} ${random.pick(area.zips)}`;
  }
  const metro = random.pick(METROS.filter((candidate) => candidate.state !== area.state));
  const [zip] = randomZipsIn(metro.zip3, 1, random);
  const street = `${random.pick(STREET_NAMES)} ${random.weighted(STREET_SUFFIXES)}`;
  return `${houseNumber} ${street}, ${metro.city}, ${metro.state} ${zip}`;
}

function roundTo(value: number, step: number): number {
  return Math.round(value / step) * step;
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
