import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  attomNoResult,
  attomStatusError,
  FAKE_PLACES,
  startFakeAttom,
  type FakeAttom,
} from "@/test/fakes/attom-server";
import { AppError } from "../../errors";
import {
  providerHealth,
  ProviderUnavailableError,
  resetProviderHttpForTests,
  type ProviderHttpTuning,
} from "../http";
import { billingOfFailure, ProviderCallError, type Billing } from "../billing";
import {
  propertySearchQuerySchema,
  splitByLocation,
  type PropertySearchQueryInput,
} from "../property-search";
import { createAttomPropertySearch } from "./client";
import detailOwner from "./fixtures/detailowner-success.json";
import { parseAttomEnvelope } from "./schema";
import { toPropertyRecords } from "./transform";

let fake: FakeAttom;
beforeAll(async () => {
  fake = await startFakeAttom();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  resetProviderHttpForTests();
});

function attom(tuning: ProviderHttpTuning = {}, apiKey = fake.apiKey) {
  return createAttomPropertySearch({
    apiKey,
    baseUrl: fake.baseUrl,
    http: {
      timeoutMs: 500,
      retries: 2,
      backoff: { baseDelayMs: 5, maxDelayMs: 20 },
      breaker: { failureThreshold: 3, halfOpenAfterMs: 200 },
      ...tuning,
    },
  });
}

const query = (input: Partial<PropertySearchQueryInput> = {}) =>
  propertySearchQuerySchema.parse({ location: { zips: ["80211"] }, ...input });

async function failure(promise: Promise<unknown>): Promise<AppError & { billing: Billing }> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return Object.assign(error as AppError, { billing: billingOfFailure(error) });
  }
  throw new Error("expected the search to fail");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("ATTOM property search", () => {
  it("searches one ZIP on expandedprofile with ATTOM's headers and parameters", async () => {
    const { value: result, billing } = await attom().search(
      query({ filters: { bedsMin: 2, absentee: "absentee" }, pageSize: 10 }),
    );

    expect(result).toMatchObject({ total: 1, page: 1, pageSize: 10 });
    expect(billing).toEqual({ units: 1, possiblyBilled: false });
    expect(result.properties).toEqual([
      expect.objectContaining({
        externalId: "184713192",
        address: { line1: "3356 W 38TH AVE", city: "DENVER", state: "CO", zip: "80211" },
        ownerName: "HIGHLANDS BUNGALOW HOLDINGS LLC",
        absentee: true,
        mailingAddress: "1550 WYNKOOP ST STE 200, DENVER, CO 80202-1026",
        lastSalePriceCents: 38_500_000,
      }),
    ]);
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.path).toBe("/property/expandedprofile");
    expect(request?.query).toEqual({
      postalCode: "80211",
      minBeds: "2",
      absenteeowner: "absentee",
      page: "1",
      pageSize: "10",
    });
    expect(request?.headers).toMatchObject({ apikey: fake.apiKey, accept: "application/json" });
  });

  it("reads the lowercase detail/detailowner casing too", async () => {
    const { value: result, billing } = await attom().search(query({ location: { zips: ["32256"] } }));

    expect(result.properties).toEqual([
      expect.objectContaining({
        externalId: "4298733",
        ownerName: "SUNBELT SFR OWNER 2 LLC",
        ownerIsCorporate: true,
        absentee: true,
        mailingAddress: "PO BOX 4090, SCOTTSDALE, AZ 85261-4090",
        baths: 2.5,
        equityPct: 25.8,
      }),
    ]);
    expect(billing.units).toBe(1);
  });

  it("answers SuccessWithoutResult sent as HTTP 400 with an empty, unbilled page", async () => {
    const result = await attom().search(query({ location: { zips: ["99999"] } }));

    expect(result).toMatchObject({ value: { properties: [], total: 0 }, billing: { units: 0 } });
    expect(fake.requests).toHaveLength(1);
  });

  it("answers SuccessWithoutResult sent as HTTP 200 with an empty, unbilled page", async () => {
    fake.respondWith([attomNoResult(200)]);

    const result = await attom().search(query());

    expect(result).toMatchObject({ value: { properties: [], total: 0 }, billing: { units: 0 } });
    expect(fake.requests).toHaveLength(1);
  });

  it("reports an invalid parameter (code -5) as BAD_REQUEST with ATTOM's message, unbilled", async () => {
    fake.respondWith([attomStatusError(-5, "Invalid Parameter: minBeds")]);

    const error = await failure(attom().search(query()));

    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toBe("ATTOM rejected the search (code -5): Invalid Parameter: minBeds");
    expect(error.billing).toEqual({ units: 0, possiblyBilled: false });
    expect(fake.requests).toHaveLength(1);
  });

  it("counts an error status ATTOM sent with HTTP 200 as billed", async () => {
    fake.respondWith([{ ...attomStatusError(-4, "Invalid parameter combination"), status: 200 }]);

    const error = await failure(attom().search(query()));

    expect(error).toBeInstanceOf(ProviderCallError);
    expect(error).toMatchObject({ code: "BAD_REQUEST", billing: { units: 1, possiblyBilled: false } });
  });

  it("says which setting to fix when ATTOM rejects the key, without retrying", async () => {
    const error = await failure(attom({}, "wrong-key").search(query()));

    expect(error.code).toBe("BAD_GATEWAY");
    expect(error.appCode).toBe("PROVIDER_MISCONFIGURED");
    expect(error.message).toBe("ATTOM key rejected (401): check ATTOM_API_KEY");
    expect(fake.requests).toHaveLength(1);
    expect(providerHealth("attom")).toMatchObject({
      circuit: "closed",
      lastError: expect.stringMatching(/HTTP 401/),
    });
  });

  it.each([
    [403, "PRECONDITION_FAILED"],
    [404, "PRECONDITION_FAILED"],
    [422, "BAD_GATEWAY"],
  ])("does not retry HTTP %i (%s)", async (status, code) => {
    fake.respondWith(() => ({ status, body: {} }));

    const error = await failure(attom().search(query()));

    expect(error.code).toBe(code);
    expect(fake.requests).toHaveLength(1);
  });

  it("retries a 429 and bills only the answer that succeeded", async () => {
    fake.respondWith([{ status: 429, headers: { "Retry-After": "0" }, body: {} }]);

    const result = await attom().search(query());

    expect(result).toMatchObject({ value: { total: 1 }, billing: { units: 1 } });
    expect(fake.requests).toHaveLength(2);
  });

  it("opens the circuit on repeated 500s, fails fast, then closes after a successful probe", async () => {
    fake.respondWith(() => ({ status: 500, rawBody: "Internal Server Error" }));
    const provider = attom();

    const outage = await failure(provider.search(query()));
    expect(outage.code).toBe("SERVICE_UNAVAILABLE");
    expect(outage.message).toMatch(/ATTOM is having problems \(HTTP 500\)/);
    expect(fake.requests).toHaveLength(3);

    const fastFailure = await failure(provider.search(query()));
    expect(fastFailure).toBeInstanceOf(ProviderUnavailableError);
    expect(fastFailure.message).toMatch(/ATTOM .* try again in about/);
    expect(fake.requests).toHaveLength(3);
    expect(providerHealth("attom").circuit).toBe("open");

    await sleep(250);
    fake.reset();
    const recovered = await provider.search(query());

    expect(recovered.billing.units).toBe(1);
    expect(fake.requests).toHaveLength(1);
    expect(providerHealth("attom")).toMatchObject({ circuit: "closed", consecutiveFailures: 0 });
  });

  it("does not resend a timed-out search, which ATTOM may have answered and billed, and reports it possibly billed", async () => {
    fake.respondWith((_request, defaultResponse) => ({ ...defaultResponse(), delayMs: 500 }));

    const error = await failure(attom({ timeoutMs: 100 }).search(query()));

    expect(error.code).toBe("GATEWAY_TIMEOUT");
    expect(error.message).toMatch(/ATTOM did not answer in time/);
    expect(error.billing).toEqual({ units: 1, possiblyBilled: true });
    expect(fake.requests).toHaveLength(1);
  });

  it.each([
    ["malformed JSON", '{"status": {"code": 0, "msg": "SuccessWith'],
    ["an unexpected shape", "<html><body>Service temporarily unavailable</body></html>"],
    ["JSON that is not an envelope", '{"message": "gateway hiccup"}'],
  ])("reports %s as an unreadable response", async (_label, rawBody) => {
    fake.respondWith([{ status: 200, rawBody }]);

    const error = await failure(attom().search(query()));

    expect(error.code).toBe("BAD_GATEWAY");
    expect(error.message).toMatch(/ATTOM returned an unreadable response/);
    // Nothing usable came back, so nothing is charged (issue #3), even though it was an HTTP 200.
    expect(error.billing).toEqual({ units: 0, possiblyBilled: false });
    expect(fake.requests).toHaveLength(1);
  });

  it("refuses a query of several ZIPs: the search capability sends one call per ZIP", async () => {
    const error = await failure(attom().search(query({ location: { zips: ["80211", "80212"] } })));

    expect(error.code).toBe("BAD_REQUEST");
    expect(fake.requests).toHaveLength(0);
  });

  it("refuses a city or county whose place was not resolved, before calling ATTOM", async () => {
    for (const location of [
      { city: "Denver", state: "CO" },
      { county: "Duval", state: "FL" },
    ]) {
      const error = await failure(attom().search(query({ location })));
      expect(error.code).toBe("BAD_REQUEST");
      expect(error.message).toMatch(/by its geoIdV4: resolve the place/);
    }
    expect(fake.requests).toHaveLength(0);
  });

  it("searches a resolved county by its geoIdV4 (no postalCode), with the filters and paging, one billed call", async () => {
    const duval = FAKE_PLACES.find((place) => place.geographyName === "Duval County, FL")!;
    const { value, billing } = await attom().search(
      query({ location: { county: "Duval", state: "FL", geoIdV4: duval.geoIdV4 }, filters: { bedsMin: 2 }, page: 1, pageSize: 2 }),
    );
    expect(billing).toEqual({ units: 1, possiblyBilled: false });
    expect(value.properties).toHaveLength(2);
    expect(value.total).toBeGreaterThan(2);
    expect(value.properties.every((p) => duval.zips.includes(p.address.zip))).toBe(true);
    expect(fake.requests.map((r) => [r.query.geoIdV4, r.query.postalCode, r.query.minBeds, r.query.page, r.query.pageSize])).toEqual([
      [duval.geoIdV4, undefined, "2", "1", "2"],
    ]);
  });

  it("applies the equity filter ATTOM cannot apply itself", async () => {
    const zips = ["32204", "32223", "32256"];
    const expected = toPropertyRecords(parseAttomEnvelope(detailOwner))
      .filter((record) => record.equityPct !== null && record.equityPct >= 50)
      .map((record) => record.externalId);

    const provider = attom();
    const pages = await Promise.all(
      splitByLocation(query({ location: { zips }, filters: { equityPctMin: 50 } })).map((one) => provider.search(one)),
    );

    expect(expected).toEqual(["4310061"]);
    expect(pages.flatMap((page) => page.value.properties.map((property) => property.externalId))).toEqual(expected);
    expect(fake.requests.every((request) => !("equityPctMin" in request.query))).toBe(true);
  });
});
