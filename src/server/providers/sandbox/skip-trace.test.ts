import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { describe, expect, it, vi } from "vitest";
import { AppError } from "../../errors";
import {
  SKIP_TRACE_BATCH_SIZE,
  skipTraceBatchSchema,
  skipTraceRequestSchema,
  type SkipTraceRequest,
} from "../skip-trace";
import {
  areaCodesFor,
  createSandboxSkipTrace,
  isSandboxPhoneNumber,
  sandboxLineOf,
} from "./skip-trace";

const provider = createSandboxSkipTrace();

const request = (
  requestId: string,
  address: Partial<SkipTraceRequest["address"]> = {},
  ownerName?: SkipTraceRequest["ownerName"],
): SkipTraceRequest =>
  skipTraceRequestSchema.parse({
    requestId,
    address: {
      street: `${100 + Number(requestId.replace(/\D/g, "") || 0)} Main St`,
      zip: "78702",
      ...address,
    },
    ownerName,
  });

/** 100 different addresses across a few states. */
const population = Array.from({ length: SKIP_TRACE_BATCH_SIZE }, (_, i) =>
  request(`r${i}`, {
    street: `${100 + i * 7} ${["Oak", "Elm", "Main", "Pine"][i % 4]} St`,
    zip: ["78702", "10001", "33101", "94110", "60614"][i % 5],
  }),
);

describe("sandbox skip trace", () => {
  it("is named sandbox and returns a valid batch, one result per request in request order", async () => {
    const batch = await provider.trace(population);

    expect(provider.name).toBe("sandbox");
    expect(skipTraceBatchSchema.parse(batch)).toEqual(batch);
    expect(batch.value.map((result) => result.requestId)).toEqual(
      population.map((r) => r.requestId),
    );
  });

  it("gives the same address the same result, whatever its requestId, position or module instance", async () => {
    const first = await provider.trace(population);
    vi.resetModules();
    const fresh = (await import("./skip-trace")).createSandboxSkipTrace();
    const shuffled = [...population]
      .reverse()
      .map((r) => ({ ...r, requestId: `again-${r.requestId}` }));
    const again = await fresh.trace(shuffled);

    const strip = ({ requestId: _requestId, ...rest }: { requestId: string }) => rest;
    expect(again.value.map(strip).reverse()).toEqual(first.value.map(strip));
    expect(again.billing.units).toBe(first.billing.units);
  });

  it("matches about 80 % of addresses and bills exactly the matches", async () => {
    const batch = await provider.trace(population);
    const matched = batch.value.filter((result) => result.matched);

    expect(matched.length).toBeGreaterThanOrEqual(65);
    expect(matched.length).toBeLessThanOrEqual(95);
    expect(batch.billing.units).toBe(matched.length);
    for (const result of batch.value) {
      if (result.matched) {
        expect(result.persons.length).toBeGreaterThan(0);
        expect(result.confidence).toEqual(expect.any(Number));
      } else {
        expect(result).toMatchObject({ persons: [], confidence: null, error: null });
      }
    }
  });

  it("only ever produces fictional 555-01xx numbers with an area code of the ZIP's state", async () => {
    const batch = await provider.trace(population);
    const phones = batch.value.flatMap((result, index) =>
      result.persons.flatMap((person) =>
        person.phones.map((phone) => ({ phone, zip: population[index]?.address.zip })),
      ),
    );

    expect(phones.length).toBeGreaterThan(50);
    for (const { phone, zip } of phones) {
      expect(phone.number).toMatch(/^\+1\d{3}55501\d{2}$/);
      expect(isSandboxPhoneNumber(phone.number)).toBe(true);
      expect(areaCodesFor({ zip })).toContain(phone.number.slice(2, 5));
      expect(parsePhoneNumberFromString(phone.number)?.isValid()).toBe(true);
    }
    expect(areaCodesFor({ zip: "78702" })).toContain("512");
    expect(areaCodesFor({ zip: "10001" })).toContain("212");
    expect(areaCodesFor({ state: "Ohio" })).toContain("614");
  });

  it("mixes line types and flags realistically, within each person's limits", async () => {
    const batch = await provider.trace(population);
    const persons = batch.value.flatMap((result) => result.persons);
    const phones = persons.flatMap((person) => person.phones);
    const types = new Set(phones.map((phone) => phone.type));

    expect([...types]).toEqual(expect.arrayContaining(["mobile", "landline", "voip"]));
    expect(phones.some((phone) => phone.dnc)).toBe(true);
    expect(phones.some((phone) => !phone.dnc)).toBe(true);
    expect(phones.filter((phone) => phone.tcpa).length).toBeLessThan(phones.length / 5);
    for (const person of persons) {
      expect(person.phones.length).toBeGreaterThanOrEqual(1);
      expect(person.phones.length).toBeLessThanOrEqual(4);
      expect(new Set(person.phones.map((phone) => phone.number)).size).toBe(person.phones.length);
      expect(person.emails.length).toBeLessThanOrEqual(2);
      for (const email of person.emails) expect(email).toMatch(/^[a-z0-9.]+@example\.com$/);
      // a number's line type is a function of the number, so a phone lookup can agree with it
      for (const phone of person.phones) expect(phone.type).toBe(sandboxLineOf(phone.number).type);
    }
    expect(persons.filter((person) => person.litigator || person.deceased).length).toBeLessThan(
      persons.length / 4,
    );
  });

  it("names the owner when a person owns the property", async () => {
    const owned = Array.from({ length: 20 }, (_, i) =>
      request(`o${i}`, { street: `${i + 1} Owner Ln` }, { first: "Ada", last: "Lovelace" }),
    );
    const batch = await provider.trace(owned);
    const matched = batch.value.filter((result) => result.matched);

    expect(matched.length).toBeGreaterThan(0);
    for (const result of matched) {
      expect(result.persons[0]?.name).toEqual({
        first: "ADA",
        last: "LOVELACE",
        full: "ADA LOVELACE",
      });
    }
  });

  it("never matches a NOMATCH street, and does not trace an address it cannot place", async () => {
    const batch = await provider.trace([
      request("a", { street: "1 NOMATCH Rd" }),
      request("b", { zip: undefined, city: "Austin" }),
    ]);

    expect(batch.value).toEqual([
      expect.objectContaining({ requestId: "a", matched: false, error: null }),
      expect.objectContaining({
        requestId: "b",
        matched: false,
        error: "The address needs a ZIP code, or a city and state, to be skip traced",
        raw: null,
      }),
    ]);
    expect(batch.billing.units).toBe(0);
  });

  it("refuses an oversized batch or duplicate requestIds", async () => {
    const tooMany = Array.from({ length: SKIP_TRACE_BATCH_SIZE + 1 }, (_, i) => request(`r${i}`));
    await expect(provider.trace(tooMany)).rejects.toBeInstanceOf(AppError);
    await expect(provider.trace([request("x"), request("x")])).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});
