/**
 * USPS-style normalization of US addresses and owner names, used to deduplicate leads.
 *
 * The outputs are comparison keys first: two spellings of the same address (or owner) must give
 * the same string. Where USPS Publication 28 and "same key for the same place" disagree, this file
 * chooses the stable key and says so.
 */

// ---------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------

/**
 * Street suffixes, USPS Publication 28 Appendix C1: standard abbreviation → every spelling that
 * maps to it (the full name, the standard form and common variants).
 */
const STREET_SUFFIX_SPELLINGS: Record<string, readonly string[]> = {
  ALY: ["ALLEY", "ALLEE", "ALLY", "ALY"],
  ANX: ["ANNEX", "ANEX", "ANNX", "ANX"],
  ARC: ["ARCADE", "ARC"],
  AVE: ["AVENUE", "AV", "AVE", "AVEN", "AVENU", "AVN", "AVNUE"],
  BYU: ["BAYOU", "BAYOO", "BYU"],
  BCH: ["BEACH", "BCH"],
  BND: ["BEND", "BND"],
  BLF: ["BLUFF", "BLF", "BLUF"],
  BLFS: ["BLUFFS", "BLFS"],
  BTM: ["BOTTOM", "BOT", "BTM", "BOTTM"],
  BLVD: ["BOULEVARD", "BLVD", "BOUL", "BOULV", "BLV"],
  BR: ["BRANCH", "BR", "BRNCH"],
  BRG: ["BRIDGE", "BRDGE", "BRG"],
  BRK: ["BROOK", "BRK"],
  BRKS: ["BROOKS", "BRKS"],
  BG: ["BURG", "BG"],
  BGS: ["BURGS", "BGS"],
  BYP: ["BYPASS", "BYP", "BYPA", "BYPAS", "BYPS"],
  CP: ["CAMP", "CP", "CMP"],
  CYN: ["CANYON", "CANYN", "CNYN", "CYN"],
  CPE: ["CAPE", "CPE"],
  CSWY: ["CAUSEWAY", "CAUSWA", "CSWY"],
  CTR: ["CENTER", "CEN", "CENT", "CENTR", "CENTRE", "CNTER", "CNTR", "CTR"],
  CTRS: ["CENTERS", "CTRS"],
  CIR: ["CIRCLE", "CIR", "CIRC", "CIRCL", "CRCL", "CRCLE"],
  CIRS: ["CIRCLES", "CIRS"],
  CLF: ["CLIFF", "CLF"],
  CLFS: ["CLIFFS", "CLFS"],
  CLB: ["CLUB", "CLB"],
  CMN: ["COMMON", "CMN"],
  CMNS: ["COMMONS", "CMNS"],
  COR: ["CORNER", "COR"],
  CORS: ["CORNERS", "CORS"],
  CRSE: ["COURSE", "CRSE"],
  CT: ["COURT", "CT", "CRT"],
  CTS: ["COURTS", "CTS"],
  CV: ["COVE", "CV"],
  CVS: ["COVES", "CVS"],
  CRK: ["CREEK", "CRK"],
  CRES: ["CRESCENT", "CRES", "CRSENT", "CRSNT"],
  CRST: ["CREST", "CRST"],
  XING: ["CROSSING", "CRSSNG", "XING"],
  XRD: ["CROSSROAD", "XRD"],
  XRDS: ["CROSSROADS", "XRDS"],
  CURV: ["CURVE", "CURV"],
  DL: ["DALE", "DL"],
  DM: ["DAM", "DM"],
  DV: ["DIVIDE", "DIV", "DV", "DVD"],
  DR: ["DRIVE", "DR", "DRIV", "DRV"],
  DRS: ["DRIVES", "DRS"],
  EST: ["ESTATE", "EST"],
  ESTS: ["ESTATES", "ESTS"],
  EXPY: ["EXPRESSWAY", "EXP", "EXPR", "EXPRESS", "EXPW", "EXPY"],
  EXT: ["EXTENSION", "EXT", "EXTN", "EXTNSN"],
  EXTS: ["EXTENSIONS", "EXTS"],
  FALL: ["FALL"],
  FLS: ["FALLS", "FLS"],
  FRY: ["FERRY", "FRRY", "FRY"],
  FLD: ["FIELD", "FLD"],
  FLDS: ["FIELDS", "FLDS"],
  FLT: ["FLAT", "FLT"],
  FLTS: ["FLATS", "FLTS"],
  FRD: ["FORD", "FRD"],
  FRDS: ["FORDS", "FRDS"],
  FRST: ["FOREST", "FORESTS", "FRST"],
  FRG: ["FORGE", "FORG", "FRG"],
  FRGS: ["FORGES", "FRGS"],
  FRK: ["FORK", "FRK"],
  FRKS: ["FORKS", "FRKS"],
  FT: ["FORT", "FRT", "FT"],
  FWY: ["FREEWAY", "FREEWY", "FRWAY", "FRWY", "FWY"],
  GDN: ["GARDEN", "GARDN", "GRDEN", "GRDN", "GDN"],
  GDNS: ["GARDENS", "GDNS", "GRDNS"],
  GTWY: ["GATEWAY", "GATEWY", "GATWAY", "GTWAY", "GTWY"],
  GLN: ["GLEN", "GLN"],
  GLNS: ["GLENS", "GLNS"],
  GRN: ["GREEN", "GRN"],
  GRNS: ["GREENS", "GRNS"],
  GRV: ["GROVE", "GROV", "GRV"],
  GRVS: ["GROVES", "GRVS"],
  HBR: ["HARBOR", "HARB", "HARBR", "HBR", "HRBOR"],
  HBRS: ["HARBORS", "HBRS"],
  HVN: ["HAVEN", "HVN"],
  HTS: ["HEIGHTS", "HT", "HTS"],
  HWY: ["HIGHWAY", "HIGHWY", "HIWAY", "HIWY", "HWAY", "HWY"],
  HL: ["HILL", "HL"],
  HLS: ["HILLS", "HLS"],
  HOLW: ["HOLLOW", "HLLW", "HOLLOWS", "HOLW", "HOLWS"],
  INLT: ["INLET", "INLT"],
  IS: ["ISLAND", "IS", "ISLND"],
  ISS: ["ISLANDS", "ISLNDS", "ISS"],
  ISLE: ["ISLE", "ISLES"],
  JCT: ["JUNCTION", "JCT", "JCTION", "JCTN", "JUNCTN", "JUNCTON"],
  JCTS: ["JUNCTIONS", "JCTNS", "JCTS"],
  KY: ["KEY", "KY"],
  KYS: ["KEYS", "KYS"],
  KNL: ["KNOLL", "KNL", "KNOL"],
  KNLS: ["KNOLLS", "KNLS"],
  LK: ["LAKE", "LK"],
  LKS: ["LAKES", "LKS"],
  LAND: ["LAND"],
  LNDG: ["LANDING", "LNDG", "LNDNG"],
  LN: ["LANE", "LN"],
  LGT: ["LIGHT", "LGT"],
  LGTS: ["LIGHTS", "LGTS"],
  LF: ["LOAF", "LF"],
  LCK: ["LOCK", "LCK"],
  LCKS: ["LOCKS", "LCKS"],
  LDG: ["LODGE", "LDG", "LDGE", "LODG"],
  LOOP: ["LOOP", "LOOPS"],
  MALL: ["MALL"],
  MNR: ["MANOR", "MNR"],
  MNRS: ["MANORS", "MNRS"],
  MDW: ["MEADOW", "MDW"],
  MDWS: ["MEADOWS", "MDWS", "MEDOWS"],
  MEWS: ["MEWS"],
  ML: ["MILL", "ML"],
  MLS: ["MILLS", "MLS"],
  MSN: ["MISSION", "MISSN", "MSSN", "MSN"],
  MTWY: ["MOTORWAY", "MTWY"],
  MT: ["MOUNT", "MNT", "MT"],
  MTN: ["MOUNTAIN", "MNTAIN", "MNTN", "MOUNTIN", "MTIN", "MTN"],
  MTNS: ["MOUNTAINS", "MNTNS", "MTNS"],
  NCK: ["NECK", "NCK"],
  ORCH: ["ORCHARD", "ORCH", "ORCHRD"],
  OVAL: ["OVAL", "OVL"],
  OPAS: ["OVERPASS", "OPAS"],
  PARK: ["PARK", "PRK", "PARKS"],
  PKWY: ["PARKWAY", "PARKWY", "PKWAY", "PKWY", "PKY", "PARKWAYS", "PKWYS"],
  PASS: ["PASS"],
  PSGE: ["PASSAGE", "PSGE"],
  PATH: ["PATH", "PATHS"],
  PIKE: ["PIKE", "PIKES"],
  PNE: ["PINE", "PNE"],
  PNES: ["PINES", "PNES"],
  PL: ["PLACE", "PL"],
  PLN: ["PLAIN", "PLN"],
  PLNS: ["PLAINS", "PLNS"],
  PLZ: ["PLAZA", "PLZ", "PLZA"],
  PT: ["POINT", "PT"],
  PTS: ["POINTS", "PTS"],
  PRT: ["PORT", "PRT"],
  PRTS: ["PORTS", "PRTS"],
  PR: ["PRAIRIE", "PR", "PRR"],
  RADL: ["RADIAL", "RAD", "RADIEL", "RADL"],
  RAMP: ["RAMP"],
  RNCH: ["RANCH", "RANCHES", "RNCH", "RNCHS"],
  RPD: ["RAPID", "RPD"],
  RPDS: ["RAPIDS", "RPDS"],
  RST: ["REST", "RST"],
  RDG: ["RIDGE", "RDG", "RDGE"],
  RDGS: ["RIDGES", "RDGS"],
  RIV: ["RIVER", "RIV", "RVR", "RIVR"],
  RD: ["ROAD", "RD"],
  RDS: ["ROADS", "RDS"],
  RTE: ["ROUTE", "RTE"],
  ROW: ["ROW"],
  RUE: ["RUE"],
  RUN: ["RUN"],
  SHL: ["SHOAL", "SHL"],
  SHLS: ["SHOALS", "SHLS"],
  SHR: ["SHORE", "SHOAR", "SHR"],
  SHRS: ["SHORES", "SHOARS", "SHRS"],
  SKWY: ["SKYWAY", "SKWY"],
  SPG: ["SPRING", "SPG", "SPNG", "SPRNG"],
  SPGS: ["SPRINGS", "SPGS", "SPNGS", "SPRNGS"],
  SPUR: ["SPUR", "SPURS"],
  SQ: ["SQUARE", "SQ", "SQR", "SQRE", "SQU"],
  SQS: ["SQUARES", "SQRS", "SQS"],
  STA: ["STATION", "STA", "STATN", "STN"],
  STRA: ["STRAVENUE", "STRA", "STRAV", "STRAVEN", "STRAVN", "STRVN", "STRVNUE"],
  STRM: ["STREAM", "STREME", "STRM"],
  ST: ["STREET", "STRT", "ST", "STR"],
  STS: ["STREETS", "STS"],
  SMT: ["SUMMIT", "SMT", "SUMIT", "SUMITT"],
  TER: ["TERRACE", "TER", "TERR"],
  TRWY: ["THROUGHWAY", "TRWY"],
  TRCE: ["TRACE", "TRACES", "TRCE"],
  TRAK: ["TRACK", "TRACKS", "TRAK", "TRK", "TRKS"],
  TRFY: ["TRAFFICWAY", "TRFY"],
  TRL: ["TRAIL", "TRAILS", "TRL", "TRLS"],
  TUNL: ["TUNNEL", "TUNEL", "TUNL", "TUNLS", "TUNNELS", "TUNNL"],
  TPKE: ["TURNPIKE", "TRNPK", "TURNPK", "TPKE"],
  UPAS: ["UNDERPASS", "UPAS"],
  UN: ["UNION", "UN"],
  UNS: ["UNIONS", "UNS"],
  VLY: ["VALLEY", "VALLY", "VLLY", "VLY"],
  VLYS: ["VALLEYS", "VLYS"],
  VIA: ["VIADUCT", "VDCT", "VIA", "VIADCT"],
  VW: ["VIEW", "VW"],
  VWS: ["VIEWS", "VWS"],
  VLG: ["VILLAGE", "VILL", "VILLAG", "VILLG", "VILLIAGE", "VLG"],
  VLGS: ["VILLAGES", "VLGS"],
  VL: ["VILLE", "VL"],
  VIS: ["VISTA", "VIS", "VIST", "VST", "VSTA"],
  WALK: ["WALK", "WALKS"],
  WALL: ["WALL"],
  WAY: ["WAY", "WY"],
  WAYS: ["WAYS"],
  WL: ["WELL", "WL"],
  WLS: ["WELLS", "WLS"],
};

const STREET_SUFFIX = invert(STREET_SUFFIX_SPELLINGS);

const DIRECTIONAL = invert({
  N: ["NORTH"],
  S: ["SOUTH"],
  E: ["EAST"],
  W: ["WEST"],
  NE: ["NORTHEAST"],
  NW: ["NORTHWEST"],
  SE: ["SOUTHEAST"],
  SW: ["SOUTHWEST"],
});

/**
 * Designators that mean "the dwelling unit number": all become `UNIT`. USPS keeps APT, STE and
 * UNIT apart, but one building never uses two of them for the same number, and importers write
 * "#4", "Apt 4" and "Unit 4" for the same door — the key must not depend on which one was typed.
 */
const DWELLING_UNIT_DESIGNATORS = wordSet("APARTMENT APT APTS UNIT SUITE STE #");

/** Other USPS Appendix C2 designators, kept distinct and abbreviated. */
const OTHER_UNIT_DESIGNATORS = invert({
  BLDG: ["BUILDING"],
  BSMT: ["BASEMENT"],
  DEPT: ["DEPARTMENT"],
  FL: ["FLOOR"],
  FRNT: ["FRONT"],
  HNGR: ["HANGAR"],
  LBBY: ["LOBBY"],
  LOT: [],
  LOWR: ["LOWER"],
  OFC: ["OFFICE"],
  PH: ["PENTHOUSE"],
  PIER: [],
  REAR: [],
  RM: ["ROOM"],
  SIDE: [],
  SLIP: [],
  SPC: ["SPACE"],
  TRLR: ["TRAILER"],
  UPPR: ["UPPER"],
});

/**
 * Designators that are also ordinary words in street names ("Old Pier Rd", "Floor St" …): they
 * start a secondary unit only right after a suffix or directional, or as "LOT 5" ending the line.
 */
const AMBIGUOUS_UNIT_WORDS = wordSet(
  "BASEMENT BUILDING DEPARTMENT FLOOR FRONT HANGAR LOBBY LOT LOWER OFFICE PENTHOUSE PIER REAR ROOM " +
    "SIDE SLIP SPACE TRAILER UPPER",
);

/** Designators that make sense without a number ("REAR", "UPPR"). */
const STANDALONE_UNIT_DESIGNATORS = wordSet("BSMT FRNT LBBY LOWR OFC PH REAR SIDE UPPR");

/** Designators sometimes glued to their number: "APT4", "STE200". */
const GLUED_UNIT = /^(APT|APARTMENT|UNIT|STE|SUITE|BLDG|RM|SPC|TRLR|LOT|PH)(\d[0-9A-Z]*)$/;

const ORDINAL_WORDS: Record<string, number> = {
  ...numbered(
    "FIRST SECOND THIRD FOURTH FIFTH SIXTH SEVENTH EIGHTH NINTH TENTH ELEVENTH TWELFTH THIRTEENTH " +
      "FOURTEENTH FIFTEENTH SIXTEENTH SEVENTEENTH EIGHTEENTH NINETEENTH",
    1,
    1,
  ),
  ...numbered(
    "TWENTIETH THIRTIETH FORTIETH FIFTIETH SIXTIETH SEVENTIETH EIGHTIETH NINETIETH",
    20,
    10,
  ),
  HUNDREDTH: 100,
};

const TENS_WORDS = numbered("TWENTY THIRTY FORTY FIFTY SIXTY SEVENTY EIGHTY NINETY", 20, 10);

/** Words inside street and city names with one common short form; the key uses one of them. */
const STREET_NAME_WORDS: Record<string, string> = { SAINT: "ST", MOUNT: "MT", FORT: "FT" };
const CITY_WORDS: Record<string, string> = {
  ST: "SAINT",
  STE: "SAINTE",
  MT: "MOUNT",
  FT: "FORT",
  PT: "POINT",
};

const STATE_CODE_BY_NAME: Record<string, string> = {
  ALABAMA: "AL",
  ALASKA: "AK",
  ARIZONA: "AZ",
  ARKANSAS: "AR",
  CALIFORNIA: "CA",
  COLORADO: "CO",
  CONNECTICUT: "CT",
  DELAWARE: "DE",
  "DISTRICT OF COLUMBIA": "DC",
  FLORIDA: "FL",
  GEORGIA: "GA",
  HAWAII: "HI",
  IDAHO: "ID",
  ILLINOIS: "IL",
  INDIANA: "IN",
  IOWA: "IA",
  KANSAS: "KS",
  KENTUCKY: "KY",
  LOUISIANA: "LA",
  MAINE: "ME",
  MARYLAND: "MD",
  MASSACHUSETTS: "MA",
  MICHIGAN: "MI",
  MINNESOTA: "MN",
  MISSISSIPPI: "MS",
  MISSOURI: "MO",
  MONTANA: "MT",
  NEBRASKA: "NE",
  NEVADA: "NV",
  "NEW HAMPSHIRE": "NH",
  "NEW JERSEY": "NJ",
  "NEW MEXICO": "NM",
  "NEW YORK": "NY",
  "NORTH CAROLINA": "NC",
  "NORTH DAKOTA": "ND",
  OHIO: "OH",
  OKLAHOMA: "OK",
  OREGON: "OR",
  PENNSYLVANIA: "PA",
  "RHODE ISLAND": "RI",
  "SOUTH CAROLINA": "SC",
  "SOUTH DAKOTA": "SD",
  TENNESSEE: "TN",
  TEXAS: "TX",
  UTAH: "UT",
  VERMONT: "VT",
  VIRGINIA: "VA",
  WASHINGTON: "WA",
  "WEST VIRGINIA": "WV",
  WISCONSIN: "WI",
  WYOMING: "WY",
  "PUERTO RICO": "PR",
  GUAM: "GU",
  "VIRGIN ISLANDS": "VI",
  "AMERICAN SAMOA": "AS",
  "NORTHERN MARIANA ISLANDS": "MP",
};

/** USPS codes for the states, DC and the inhabited territories. */
export const US_STATE_CODES: ReadonlySet<string> = new Set(Object.values(STATE_CODE_BY_NAME));

// ---------------------------------------------------------------------------------------------
// Street line
// ---------------------------------------------------------------------------------------------

/**
 * Normalizes one street line: "123 north Main Street, Apt. #4" → "123 N MAIN ST UNIT 4".
 * Output: house number, pre-directional, name, suffix, post-directional, then secondary units,
 * all uppercase USPS abbreviations. Suffixes and directionals are abbreviated only in their
 * positions, so "North St" stays "NORTH ST" and "Court Ave" stays "COURT AVE".
 */
export function normalizeStreet(line: string): string {
  const tokens = tokenizeStreet(line);
  if (tokens.length === 0) return "";

  const poBox = normalizePostOfficeBox(tokens);
  if (poBox) return poBox;

  const unitStart = findSecondaryUnitStart(tokens);
  const primary = normalizePrimary(tokens.slice(0, unitStart));
  const secondary = normalizeSecondary(tokens.slice(unitStart));
  return [...primary, ...secondary].join(" ");
}

function tokenizeStreet(line: string): string[] {
  const text = line
    .toUpperCase()
    .replace(/[’'`]/g, "")
    // "ST.CHARLES" → "ST CHARLES", but "N.E." → "NE" and "P.O." → "PO"
    .replace(/\.(?=[A-Z]{2})/g, " ")
    .replace(/\./g, "")
    .replace(/#/g, " # ")
    // "123-A" and "B-12" are one token; "71-15" (Queens) keeps its hyphen
    .replace(/(\d)-([A-Z])\b/g, "$1$2")
    .replace(/\b([A-Z])-(\d)/g, "$1$2")
    .replace(/-(?!\d)|(?<!\d)-/g, " ")
    .replace(/\/(?!\d)|(?<!\d)\//g, " ")
    .replace(/[^A-Z0-9#\-/ ]/g, " ");
  return text
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((token) => {
      const glued = GLUED_UNIT.exec(token);
      return glued ? [glued[1] as string, glued[2] as string] : [token];
    });
}

function normalizePostOfficeBox(tokens: string[]): string | null {
  const text = tokens.join(" ");
  const poBox = /^(?:P O|PO|POST OFFICE|POST OFF|POB|POBOX)(?: BOX)? (\S+)$/.exec(text);
  if (poBox && /\d/.test(poBox[1] as string)) return `PO BOX ${poBox[1]}`;
  const ruralRoute = /^(?:RURAL ROUTE|RURAL RTE|R R|RR|RT|RTE) (\d+) (?:BOX|BX) (\S+)$/.exec(text);
  if (ruralRoute) return `RR ${ruralRoute[1]} BOX ${ruralRoute[2]}`;
  return null;
}

function isUnitDesignator(token: string): boolean {
  return DWELLING_UNIT_DESIGNATORS.has(token) || token in OTHER_UNIT_DESIGNATORS;
}

function isSuffixOrDirectional(token: string | undefined): boolean {
  return token !== undefined && (token in STREET_SUFFIX || token in DIRECTIONAL);
}

/** Index where the secondary unit ("APT 4", "# 4", "BLDG 2 RM 5") begins, or tokens.length. */
function findSecondaryUnitStart(tokens: string[]): number {
  const hasHouseNumber = /\d/.test(tokens[0] ?? "");
  // A street needs a name before any unit: "123 Lot Rd" is a street called LOT.
  for (let i = hasHouseNumber ? 2 : 1; i < tokens.length; i++) {
    const token = tokens[i] as string;
    if (!isUnitDesignator(token)) continue;
    if (!AMBIGUOUS_UNIT_WORDS.has(token)) return i;
    const endsLineWithNumber = i === tokens.length - 2 && /\d/.test(tokens[i + 1] as string);
    if (isSuffixOrDirectional(tokens[i - 1]) || endsLineWithNumber) return i;
  }
  return tokens.length;
}

function normalizeSecondary(tokens: string[]): string[] {
  const parts: string[] = [];
  let i = 0;
  while (i < tokens.length) {
    const designatorToken = tokens[i] as string;
    const designator = DWELLING_UNIT_DESIGNATORS.has(designatorToken)
      ? "UNIT"
      : (OTHER_UNIT_DESIGNATORS[designatorToken] ?? designatorToken);
    i++;
    const idTokens: string[] = [];
    while (i < tokens.length && !isUnitDesignator(tokens[i] as string))
      idTokens.push(tokens[i++] as string);
    // "APT #4": the "#" after a designator is not a second unit
    while (idTokens.length === 0 && tokens[i] === "#") {
      i++;
      while (i < tokens.length && !isUnitDesignator(tokens[i] as string))
        idTokens.push(tokens[i++] as string);
    }
    const id = idTokens.join("").replace(/^0+(?=[0-9A-Z])/, "");
    if (id) parts.push(designator, id);
    else if (STANDALONE_UNIT_DESIGNATORS.has(designator)) parts.push(designator);
  }
  return parts;
}

function normalizePrimary(tokens: string[]): string[] {
  if (tokens.length === 0) return [];
  const hasHouseNumber = /\d/.test(tokens[0] as string);
  const houseNumber = hasHouseNumber ? [tokens[0] as string] : [];
  let rest = mergeCompoundDirectionals(convertOrdinalWords(tokens.slice(houseNumber.length)));

  let postDirectional: string | undefined;
  const last = rest[rest.length - 1];
  if (rest.length >= 2 && last !== undefined && last in DIRECTIONAL) {
    postDirectional = DIRECTIONAL[last];
    rest = rest.slice(0, -1);
  }

  let preDirectional: string | undefined;
  const first = rest[0];
  // Take a leading directional only if a real name remains: "North St" is a street named NORTH,
  // "North Park" a place named NORTH PARK, but "N Main" and "North Main St" have directionals.
  if (first !== undefined && first in DIRECTIONAL) {
    const nameAfter = rest.slice(1);
    const onlySuffixLeft = nameAfter.length === 1 && (nameAfter[0] as string) in STREET_SUFFIX;
    if (nameAfter.length >= 1 && !onlySuffixLeft) {
      preDirectional = DIRECTIONAL[first];
      rest = nameAfter;
    }
  }

  const name = [...rest];
  const lastIndex = name.length - 1;
  const lastWord = name[lastIndex];
  const beforeLast = name[lastIndex - 1];
  if (name.length >= 2 && lastWord !== undefined && lastWord in STREET_SUFFIX) {
    name[lastIndex] = STREET_SUFFIX[lastWord] as string;
  } else if (
    // route numbers follow the suffix-like word: "HIGHWAY 101", "COUNTY ROAD 12", "ROUTE 66"
    beforeLast !== undefined &&
    beforeLast in STREET_SUFFIX &&
    /^\d+[A-Z]?$/.test(lastWord ?? "")
  ) {
    name[lastIndex - 1] = STREET_SUFFIX[beforeLast] as string;
  }
  for (let i = 0; i < name.length - 1; i++) {
    const word = name[i] as string;
    name[i] = STREET_NAME_WORDS[word] ?? word;
  }

  return [
    ...houseNumber,
    ...(preDirectional ? [preDirectional] : []),
    ...name,
    ...(postDirectional ? [postDirectional] : []),
  ];
}

/** "FIRST" → "1ST", "TWENTY FIRST" → "21ST", "2ND" stays. */
function convertOrdinalWords(tokens: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    const next = tokens[i + 1];
    const tens = TENS_WORDS[token];
    const ones = next !== undefined ? ORDINAL_WORDS[next] : undefined;
    if (tens !== undefined && ones !== undefined && ones < 10) {
      out.push(ordinal(tens + ones));
      i++;
    } else if (token in ORDINAL_WORDS) {
      out.push(ordinal(ORDINAL_WORDS[token] as number));
    } else {
      out.push(token);
    }
  }
  return out;
}

function ordinal(n: number): string {
  const lastTwo = n % 100;
  if (lastTwo >= 11 && lastTwo <= 13) return `${n}TH`;
  return `${n}${{ 1: "ST", 2: "ND", 3: "RD" }[n % 10] ?? "TH"}`;
}

/** "NORTH EAST MAIN ST" → "NE MAIN ST"; "MAIN ST SOUTH WEST" → "MAIN ST SW". */
function mergeCompoundDirectionals(tokens: string[]): string[] {
  const compound = (a: string | undefined, b: string | undefined) => {
    const ns = a !== undefined ? DIRECTIONAL[a] : undefined;
    const ew = b !== undefined ? DIRECTIONAL[b] : undefined;
    return (ns === "N" || ns === "S") && (ew === "E" || ew === "W") ? ns + ew : undefined;
  };
  let out = tokens;
  const leading = compound(out[0], out[1]);
  if (leading && out.length > 2) out = [leading, ...out.slice(2)];
  const trailing = compound(out[out.length - 2], out[out.length - 1]);
  if (trailing && out.length > 2) out = [...out.slice(0, -2), trailing];
  return out;
}

// ---------------------------------------------------------------------------------------------
// Whole address
// ---------------------------------------------------------------------------------------------

export interface AddressInput {
  street: string;
  city?: string | null;
  state?: string | null;
  zip?: string | null;
}

export interface NormalizedAddress {
  street: string;
  city: string;
  state: string;
  /** Five-digit ZIP, or "" when none was given. */
  zip5: string;
  /** Stable dedup key of the place. */
  key: string;
}

/**
 * Normalizes every part of an address. The key is the normalized street plus the ZIP5 when a ZIP
 * is known — city spellings vary between sources ("ST LOUIS", "SAINT LOUIS", vanity city names
 * inside one ZIP) while a ZIP fixes city and state — and street + city + state otherwise.
 */
export function normalizeAddress(address: AddressInput): NormalizedAddress {
  const street = normalizeStreet(address.street);
  const city = normalizeCity(address.city ?? "");
  const state = normalizeStateCode(address.state ?? "");
  const zip5 = normalizeZip5(address.zip ?? "");
  const key = zip5 ? `${street}|${zip5}` : `${street}|${city}|${state}`;
  return { street, city, state, zip5, key };
}

export function normalizeCity(city: string): string {
  return foldWords(city)
    .map((word) => CITY_WORDS[word] ?? word)
    .join(" ");
}

/** "Texas", "tx", "T.X." → "TX". Unknown input comes back uppercased, not guessed. */
export function normalizeStateCode(state: string): string {
  const folded = foldWords(state).join(" ");
  if (US_STATE_CODES.has(folded)) return folded;
  return STATE_CODE_BY_NAME[folded] ?? folded;
}

/**
 * "02134-1234" → "02134". Spreadsheets drop leading zeros ("2134", "21341234"), so short
 * northeastern ZIPs are padded back. Anything that is not a ZIP gives "".
 */
export function normalizeZip5(zip: string): string {
  const digits = zip.replace(/\D/g, "");
  if (digits.length >= 3 && digits.length <= 5) return digits.padStart(5, "0");
  if (digits.length >= 7 && digits.length <= 9) return digits.padStart(9, "0").slice(0, 5);
  return "";
}

// ---------------------------------------------------------------------------------------------
// Owner names
// ---------------------------------------------------------------------------------------------

/** Token sequences with one canonical spelling (entity forms first, longest first). */
const OWNER_PHRASES: readonly (readonly [readonly string[], string])[] = [
  [["LIMITED", "LIABILITY", "COMPANY"], "LLC"],
  [["LIMITED", "LIABILITY", "CO"], "LLC"],
  [["LIMITED", "LIABILITY", "PARTNERSHIP"], "LLP"],
  [["LIMITED", "PARTNERSHIP"], "LP"],
  [["L", "L", "C"], "LLC"],
  [["L", "L", "P"], "LLP"],
];

const OWNER_WORDS: Record<string, string> = {
  INCORPORATED: "INC",
  CORPORATION: "CORP",
  COMPANY: "CO",
  LIMITED: "LTD",
  TRUSTEE: "TRUST",
  TRUSTEES: "TRUST",
  TTEE: "TRUST",
  TTEES: "TRUST",
  TRS: "TRUST",
  TR: "TRUST",
  TRST: "TRUST",
  TRT: "TRUST",
  REV: "REVOCABLE",
  REVOC: "REVOCABLE",
  IRREV: "IRREVOCABLE",
  LIV: "LIVING",
  FAM: "FAMILY",
  ASSOCIATION: "ASSN",
  ASSOC: "ASSN",
  HLDGS: "HOLDINGS",
  MGMT: "MANAGEMENT",
  PROPS: "PROPERTIES",
  INVTS: "INVESTMENTS",
  INVESTMENT: "INVESTMENTS",
  BROTHERS: "BROS",
};

/** Words that make an owner a business, trust, estate or public body rather than a person. */
const ENTITY_WORDS = wordSet(
  "LLC LLP LP PLLC INC CORP CO LTD TRUST ESTATE HOLDINGS PROPERTIES INVESTMENTS INVESTORS PARTNERS " +
    "PARTNERSHIP GROUP VENTURES CAPITAL REALTY HOMES RENTALS MANAGEMENT ENTERPRISES DEVELOPMENT ASSN " +
    "BANK MORTGAGE LENDING FUND FOUNDATION CHURCH MINISTRIES UNIVERSITY AUTHORITY DISTRICT COUNTY CITY " +
    "STATE FEDERAL NATIONAL FNMA FHLMC HUD BROS",
);

/** Trusts and estates are usually named after people: their initials are as noisy as a person's. */
const PERSONAL_ENTITY_WORDS = wordSet("TRUST ESTATE");
/** …unless the name also carries a business form ("SMITH REAL ESTATE LLC"). */
const BUSINESS_FORM_WORDS = wordSet("LLC LLP LP PLLC INC CORP CO LTD");

const NOISE_WORDS = wordSet("THE AND OF ETAL ETUX ETVIR JTWROS JTRS");
const ET_FOLLOWERS = wordSet("AL UX VIR");
/** "… TRUST DTD 01/02/2003": the date of a trust instrument is not part of its name. */
const DATED_MARKERS = wordSet("DTD DATED UAD UTD");
const TITLES_AND_SUFFIXES = wordSet("MR MRS MS MISS DR JR SR II III IV 2ND 3RD ESQ MD PHD");

function ownerTokens(name: string): string[] {
  const text = name
    .toUpperCase()
    .replace(/[’'`]/g, "")
    .replace(/\.(?=[A-Z]{2})/g, " ")
    .replace(/\./g, "")
    .replace(/[&+]/g, " AND ")
    .replace(/[^A-Z0-9]+/g, " ");
  let tokens = text.split(" ").filter(Boolean);

  const dated = tokens.findIndex((token) => DATED_MARKERS.has(token));
  if (dated > 0) tokens = tokens.slice(0, dated);

  for (const [phrase, canonical] of OWNER_PHRASES)
    tokens = replacePhrase(tokens, phrase, canonical);
  tokens = tokens.map((token) => OWNER_WORDS[token] ?? token);

  const kept: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    if (token === "ET" && ET_FOLLOWERS.has(tokens[i + 1] ?? "")) {
      i++;
      continue;
    }
    if (!NOISE_WORDS.has(token)) kept.push(token);
  }
  return kept;
}

function replacePhrase(tokens: string[], phrase: readonly string[], canonical: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (phrase.every((word, j) => tokens[i + j] === word)) {
      out.push(canonical);
      i += phrase.length - 1;
    } else {
      out.push(tokens[i] as string);
    }
  }
  return out;
}

/** True for LLCs, corporations, trusts, estates, banks and public bodies. */
export function isCorporateOwnerName(name: string): boolean {
  return ownerTokens(name).some((token) => ENTITY_WORDS.has(token));
}

/**
 * A comparison key for an owner name, not a display name.
 *
 * - Case, punctuation and entity spellings fold: "Acme Holdings, L.L.C." → "ACME HOLDINGS LLC".
 * - For people, and trusts/estates named after people, word order is dropped (tokens are sorted
 *   and de-duplicated): assessor order "SMITH, JOHN A" and "SMITH JOHN A" match "John A Smith",
 *   "John & Jane Smith" matches "John Smith and Jane Smith". Businesses keep their word order.
 * - For people and for trusts/estates named after people, middle initials, titles and generational
 *   suffixes (JR, SR, III …) are dropped. The dedup key pairs the owner with one address, where
 *   "JOHN SMITH JR" and "John Smith" are the same owner far more often than father and son are
 *   two owners of one property; sources disagree on initials and suffixes all the time.
 *   Businesses keep every word ("J B HUNT LLC").
 * - TRUSTEE/TR/TTEE fold into TRUST: the trustee holds title for the trust, one owner either way.
 */
export function normalizeOwnerName(name: string): string {
  const tokens = ownerTokens(name);
  const isEntity = tokens.some((token) => ENTITY_WORDS.has(token));
  const isPersonLike =
    !isEntity ||
    (tokens.some((token) => PERSONAL_ENTITY_WORDS.has(token)) &&
      !tokens.some((token) => BUSINESS_FORM_WORDS.has(token)));
  if (!isPersonLike) return tokens.join(" ");
  const significant = tokens.filter((token) => token.length > 1 && !TITLES_AND_SUFFIXES.has(token));
  return [...new Set(significant)].sort().join(" ");
}

/** The per-org uniqueness key of a lead: normalized address + normalized owner. */
export function leadDedupKey(address: AddressInput, ownerName: string | null | undefined): string {
  return `${normalizeAddress(address).key}#${normalizeOwnerName(ownerName ?? "")}`;
}

// ---------------------------------------------------------------------------------------------

function foldWords(text: string): string[] {
  return text
    .toUpperCase()
    .replace(/[’'`.]/g, "")
    .replace(/[^A-Z0-9]+/g, " ")
    .split(" ")
    .filter(Boolean);
}

function invert(spellingsByCanonical: Record<string, readonly string[]>): Record<string, string> {
  const canonicalBySpelling: Record<string, string> = {};
  for (const [canonical, spellings] of Object.entries(spellingsByCanonical)) {
    for (const spelling of spellings) canonicalBySpelling[spelling] = canonical;
    canonicalBySpelling[canonical] = canonical;
  }
  return canonicalBySpelling;
}

function wordSet(words: string): ReadonlySet<string> {
  return new Set(words.split(/\s+/).filter(Boolean));
}

/** "FIRST SECOND …" from 1 step 1 → { FIRST: 1, SECOND: 2, … }. */
function numbered(words: string, first: number, step: number): Record<string, number> {
  return Object.fromEntries([...wordSet(words)].map((word, i) => [word, first + i * step]));
}
