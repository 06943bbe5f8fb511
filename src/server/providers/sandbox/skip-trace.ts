/**
 * The sandbox skip-trace provider: deterministic, realistic fake persons for any address, used in
 * development and when no BatchData token is configured. No network.
 *
 * The result is generated from a hash of the normalized address, so the same address always
 * gives the same persons, whatever its requestId or position in the batch. About 80 % of
 * addresses match (a street containing "NOMATCH" never does, for tests and demos). Phones are
 * only ever in the fictional 555-0100…0199 range, with a real area code of the ZIP's state
 * (+1 AAA 555 01XX); emails only at example.com. A number's line type and carrier are a function
 * of the number alone (`sandboxLineOf`), so the sandbox phone lookup agrees with it.
 */
import {
  isCorporateOwnerName,
  normalizeAddress,
  normalizeStateCode,
  normalizeZip5,
} from "@/lib/address";
import { fnv1a32, seededRandom, type SeededRandom } from "@/lib/random";
import { stateOfZip } from "@/lib/us-zip3";
import { billed, ProviderCallError } from "../billing";
import { usPlaces, type UsPlaces } from "./us-places";
import {
  skipTraceAddressProblem,
  skipTraceBatchProblem,
  untracedResult,
  type PhoneType,
  type SkipTraceBatch,
  type SkipTraceOptions,
  type SkipTracePerson,
  type SkipTracePhone,
  type SkipTraceProvider,
  type SkipTraceRequest,
  type SkipTraceResult,
} from "../skip-trace";

export const SANDBOX_MATCH_RATE = 0.8;

export function createSandboxSkipTrace(): SkipTraceProvider {
  return {
    name: "sandbox",
    simulated: true,
    async trace(requests: SkipTraceRequest[], opts: SkipTraceOptions = {}): Promise<SkipTraceBatch> {
      opts.signal?.throwIfAborted();
      const problem = skipTraceBatchProblem(requests);
      if (problem) throw new ProviderCallError("BAD_REQUEST", problem);
      const places = await usPlaces();
      const results = requests.map((request) => traceOne(request, places));
      return { value: results, billing: billed(results.filter((result) => result.matched).length) };
    },
  };
}

function traceOne(request: SkipTraceRequest, places: UsPlaces): SkipTraceResult {
  const problem = skipTraceAddressProblem(request.address);
  if (problem) return untracedResult(request.requestId, problem);

  const addressKey = normalizeAddress(request.address).key;
  const random = seededRandom(`skip-trace:${addressKey}`);
  const matched = !/NOMATCH/i.test(request.address.street) && random.chance(SANDBOX_MATCH_RATE);
  if (!matched) {
    return {
      ...untracedResult(request.requestId, null),
      raw: { sandbox: true, addressKey, matched: false },
    };
  }

  const stateAreaCodes = areaCodesFor(request.address);
  const stateGuess = random.pick(stateAreaCodes);
  // The area codes the property's city really has (a Phoenix owner gets 602/480/623, not Tucson's
  // 520); the state's when the data has none for the city. Most numbers carry the local one.
  const cityAreaCodes = places.areaCodesOfCity(request.address.city ?? "", stateOfZip(normalizeZip5(request.address.zip ?? "")) ?? normalizeStateCode(request.address.state ?? ""));
  const nearby = cityAreaCodes.length > 0 ? cityAreaCodes : stateAreaCodes;
  const local = cityAreaCodes.length > 0 ? cityAreaCodes[fnv1a32(addressKey) % Math.min(3, cityAreaCodes.length)]! : stateGuess;
  const areaCodes = [local, local, local, ...nearby];
  const usedLines = new Set<number>();
  const personCount = random.chance(0.25) ? 2 : 1;
  const persons = Array.from({ length: personCount }, (_, index) =>
    generatePerson(random, areaCodes, usedLines, index === 0 ? ownerPersonName(request) : null),
  );
  return {
    requestId: request.requestId,
    matched: true,
    persons,
    confidence: random.int(55, 99),
    error: null,
    // The generated persons are the record; raw says where they came from.
    raw: { sandbox: true, addressKey, matched: true },
  };
}

/** The owner's name when it is a person's (an LLC's skip trace finds someone else). */
function ownerPersonName(request: SkipTraceRequest): { first: string; last: string } | null {
  const first = request.ownerName?.first?.trim().toUpperCase();
  const last = request.ownerName?.last?.trim().toUpperCase();
  if (!first || !last || isCorporateOwnerName(`${first} ${last}`)) return null;
  return { first, last };
}

const words = (text: string) => text.trim().split(/\s+/);

const FIRST_NAMES = words(`
  JAMES MARY ROBERT PATRICIA JOHN JENNIFER MICHAEL LINDA DAVID ELIZABETH WILLIAM BARBARA RICHARD
  SUSAN JOSEPH JESSICA THOMAS SARAH CARLOS MARIA DANIEL KAREN ANTHONY NANCY KEVIN LISA BRIAN BETTY
  WEI PRIYA DARNELL ROSA TYRONE MEI OLUWASEUN FATIMA
`);
const LAST_NAMES = words(`
  SMITH JOHNSON WILLIAMS BROWN JONES GARCIA MILLER DAVIS RODRIGUEZ MARTINEZ HERNANDEZ LOPEZ
  GONZALEZ WILSON ANDERSON THOMAS TAYLOR MOORE JACKSON MARTIN LEE PEREZ THOMPSON WHITE HARRIS
  NGUYEN PATEL CHEN OKAFOR KOWALSKI OBRIEN MURPHY BERGSTROM TANAKA
`);

function generatePerson(
  random: SeededRandom,
  areaCodes: readonly string[],
  usedLines: Set<number>,
  name: { first: string; last: string } | null,
): SkipTracePerson {
  const first = name?.first ?? random.pick(FIRST_NAMES);
  const last = name?.last ?? random.pick(LAST_NAMES);

  const phoneCount = random.weighted([
    [1, 30],
    [2, 35],
    [3, 22],
    [4, 13],
  ]);
  const phones: SkipTracePhone[] = [];
  for (let i = 0; i < phoneCount && usedLines.size < 100; i++) {
    let line = random.int(100, 199);
    while (usedLines.has(line)) line = line === 199 ? 100 : line + 1;
    usedLines.add(line);
    const number = `+1${random.pick(areaCodes)}5550${line}`;
    const { type, carrier } = sandboxLineOf(number);
    phones.push({
      number,
      type,
      carrier,
      dnc: random.chance(0.2),
      tcpa: random.chance(0.04),
      score: random.chance(0.9) ? random.int(20, 100) : null,
      reachable: random.weighted([
        [true, 75],
        [false, 10],
        [null, 15],
      ]),
    });
  }

  const emailCount = random.weighted([
    [0, 30],
    [1, 45],
    [2, 25],
  ]);
  const emails = new Set<string>();
  const local = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, "");
  for (let i = 0; emails.size < emailCount && i < 5; i++) {
    emails.add(
      random.chance(0.5)
        ? `${local}${random.int(1, 99)}@example.com`
        : `${first.charAt(0).toLowerCase()}${last.toLowerCase().replace(/[^a-z]/g, "")}@example.com`,
    );
  }

  return {
    name: { first, last, full: `${first} ${last}` },
    phones,
    emails: [...emails],
    litigator: random.chance(0.02),
    deceased: random.chance(0.03),
    bankruptcy: random.chance(0.04),
  };
}

export const SANDBOX_CARRIERS: Record<Exclude<PhoneType, "unknown">, readonly string[]> = {
  mobile: ["Verizon Wireless", "T-Mobile USA", "AT&T Mobility", "US Cellular"],
  landline: ["AT&T", "Frontier Communications", "CenturyLink", "Windstream"],
  voip: ["Bandwidth.com", "Vonage", "Ooma", "Onvoy"],
};

/** The line type and carrier of a sandbox number: a function of the number alone. */
export function sandboxLineOf(e164: string): { type: PhoneType; carrier: string | null } {
  const random = seededRandom(`line:${e164}`);
  const type = random.weighted<PhoneType>([
    ["mobile", 58],
    ["landline", 28],
    ["voip", 12],
    ["unknown", 2],
  ]);
  return { type, carrier: type === "unknown" ? null : random.pick(SANDBOX_CARRIERS[type]) };
}

// ---------------------------------------------------------------------------------------------
// Area codes
// ---------------------------------------------------------------------------------------------

/** state: real area codes */
const AREA_CODE_TABLE: Record<string, string> = {
  AL: "205 251 256 334",
  AK: "907",
  AZ: "480 520 602 623",
  AR: "479 501 870",
  CA: "213 310 415 619 714 916",
  CO: "303 719 720 970",
  CT: "203 860",
  DE: "302",
  DC: "202",
  FL: "305 407 813 904 954",
  GA: "404 678 770 912",
  HI: "808",
  ID: "208",
  IL: "312 630 773 847",
  IN: "260 317 812",
  IA: "319 515 563",
  KS: "316 785 913",
  KY: "270 502 859",
  LA: "225 318 337 504",
  ME: "207",
  MD: "301 410 443",
  MA: "413 508 617 781",
  MI: "248 313 517 616",
  MN: "218 612 651 952",
  MS: "228 601 662",
  MO: "314 417 573 816",
  MT: "406",
  NE: "308 402",
  NV: "702 775",
  NH: "603",
  NJ: "201 609 732 973",
  NM: "505 575",
  NY: "212 516 518 716 718",
  NC: "336 704 910 919",
  ND: "701",
  OH: "216 419 513 614",
  OK: "405 580 918",
  OR: "503 541 971",
  PA: "215 412 610 717",
  RI: "401",
  SC: "803 843 864",
  SD: "605",
  TN: "423 615 865 901",
  TX: "210 214 512 713 817",
  UT: "385 435 801",
  VT: "802",
  VA: "540 703 757 804",
  WA: "206 253 360 509",
  WV: "304",
  WI: "414 608 920",
  WY: "307",
  PR: "787 939",
  VI: "340",
  GU: "671",
};

const AREA_CODES: Record<string, readonly string[]> = Object.fromEntries(
  Object.entries(AREA_CODE_TABLE).map(([state, codes]) => [state, codes.split(" ")]),
);

/** The ZIP's state's area codes; else the given state's; else Texas's. */
export function areaCodesFor(address: {
  state?: string | null;
  zip?: string | null;
}): readonly string[] {
  const state =
    stateOfZip(normalizeZip5(address.zip ?? "")) ?? normalizeStateCode(address.state ?? "");
  return AREA_CODES[state] ?? (AREA_CODES.TX as readonly string[]);
}

/** +1 AAA 555 0100–0199: the fictional range, never a real subscriber. */
export function isSandboxPhoneNumber(e164: string): boolean {
  return /^\+1[2-9]\d{2}55501\d{2}$/.test(e164);
}
