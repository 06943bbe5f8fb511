/**
 * USPS three-digit ZIP prefixes of each US state and territory, and a ZIP's state. Approximate
 * (prefix ranges), enough for the sandbox providers' plausible data.
 */
const ZIP3_RANGES: Record<string, string> = {
  AL: "350-369",
  AK: "995-999",
  AZ: "850-865",
  AR: "716-729",
  CA: "900-961",
  CO: "800-816",
  CT: "060-069",
  DE: "197-199",
  DC: "200 202-205 569",
  FL: "320-339 341-349",
  GA: "300-319 398-399",
  HI: "967-968",
  ID: "832-838",
  IL: "600-629",
  IN: "460-479",
  IA: "500-528",
  KS: "660-679",
  KY: "400-427",
  LA: "700-714",
  ME: "039-049",
  MD: "206-219",
  MA: "010-027 055",
  MI: "480-499",
  MN: "550-567",
  MS: "386-397",
  MO: "630-658",
  MT: "590-599",
  NE: "680-693",
  NV: "889-898",
  NH: "030-038",
  NJ: "070-089",
  NM: "870-884",
  NY: "005 100-149",
  NC: "270-289",
  ND: "580-588",
  OH: "430-459",
  OK: "730-732 734-749",
  OR: "970-979",
  PA: "150-196",
  RI: "028-029",
  SC: "290-299",
  SD: "570-577",
  TN: "370-385",
  TX: "733 750-799 885",
  UT: "840-847",
  VT: "050-054 056-059",
  VA: "201 220-246",
  WA: "980-994",
  WV: "247-268",
  WI: "530-549",
  WY: "820-831",
  PR: "006-007 009",
  VI: "008",
  GU: "969",
  AS: "967",
  MP: "969",
};

/** Territories that borrow another's prefixes (Hawaii's, Guam's): never the answer for a ZIP. */
const SHARED_PREFIX_TERRITORIES = new Set(["AS", "MP"]);

function parseRanges(ranges: string): number[] {
  return ranges.split(" ").flatMap((range) => {
    const [first, last = first] = range.split("-").map(Number) as [number, number?];
    return Array.from({ length: last - first + 1 }, (_, i) => first + i);
  });
}

const ZIP3S_BY_STATE = new Map(Object.entries(ZIP3_RANGES).map(([state, ranges]) => [state, parseRanges(ranges)]));

const STATE_BY_ZIP3 = new Map<number, string>(
  [...ZIP3S_BY_STATE].filter(([state]) => !SHARED_PREFIX_TERRITORIES.has(state)).flatMap(([state, zip3s]) => zip3s.map((zip3) => [zip3, state] as const)),
);

export function zip3sOfState(state: string): readonly number[] {
  return ZIP3S_BY_STATE.get(state) ?? [];
}

/** The state of a ZIP; military and unassigned prefixes borrow the nearest lower prefix's state. */
export function stateOfZip(zip: string): string | null {
  if (!/^\d{3}/.test(zip)) return null;
  for (let prefix = Number(zip.slice(0, 3)); prefix >= 0; prefix--) {
    const state = STATE_BY_ZIP3.get(prefix);
    if (state) return state;
  }
  return null;
}
