import { billingOfFailure, ProviderCallError } from "../billing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  batchDataBadRequest,
  startFakeBatchData,
  type FakeBatchData,
} from "@/test/fakes/batchdata-server";
import { AppError } from "../../errors";
import {
  providerHealth,
  ProviderUnavailableError,
  resetProviderHttpForTests,
  type ProviderHttpTuning,
} from "../http";
import {
  chooseBestPhone,
  SKIP_TRACE_BATCH_SIZE,
  skipTraceRequestSchema,
  type SkipTraceBatch,
  type SkipTraceRequest,
} from "../skip-trace";
import { createBatchDataSkipTrace } from "./client";

let fake: FakeBatchData;
beforeAll(async () => {
  fake = await startFakeBatchData();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  resetProviderHttpForTests();
});

function batchData(tuning: ProviderHttpTuning = {}, token = fake.token) {
  return createBatchDataSkipTrace({
    token,
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

const request = (
  requestId: string,
  street = "1812 E 7th St",
  extra: Partial<SkipTraceRequest> = {},
): SkipTraceRequest =>
  skipTraceRequestSchema.parse({
    requestId,
    address: { street, city: "Austin", state: "TX", zip: "78702" },
    ...extra,
  });

interface SentBody {
  requests: { requestId: string }[];
  options: { includeTCPABlacklistedPhones: boolean };
}
const sentBody = (index = 0) => fake.requests[index]?.body as SentBody;

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected the skip trace to fail");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const matchedIds = (batch: SkipTraceBatch) =>
  batch.value.filter((result) => result.matched).map((result) => result.requestId);

describe("BatchData skip trace", () => {
  it("traces a matched record with BatchData's auth, path and body, and bills it", async () => {
    const batch = await batchData().trace([
      request("lead-1", "1812 E 7th St", { ownerName: { first: "John", last: "Smith" } }),
    ]);

    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({
      method: "POST",
      path: "/property/skip-trace",
      headers: {
        authorization: `Bearer ${fake.token}`,
        "content-type": expect.stringMatching(/^application\/json/),
      },
    });
    expect(sentBody()).toEqual({
      requests: [
        {
          requestId: "lead-1",
          propertyAddress: { street: "1812 E 7th St", city: "Austin", state: "TX", zip: "78702" },
          name: { first: "John", last: "Smith" },
        },
      ],
      options: { includeTCPABlacklistedPhones: true },
    });

    expect(batch.billing.units).toBe(1);
    const [result] = batch.value;
    expect(result).toMatchObject({ requestId: "lead-1", matched: true, error: null });
    expect(result?.persons).toHaveLength(1);
    const person = result?.persons[0];
    expect(person?.name).toEqual({ first: "JOHN", last: "SMITH", full: "JOHN SMITH" });
    expect(person?.emails).toEqual(["john.smith@example.com"]);
    expect(person?.phones.map((phone) => [phone.type, phone.number])).toEqual([
      ["mobile", expect.stringMatching(/^\+151255501\d\d$/)],
      ["landline", expect.stringMatching(/^\+151255501\d\d$/)],
      ["mobile", expect.stringMatching(/^\+151255501\d\d$/)],
    ]);
    expect(result?.raw).toEqual([
      expect.objectContaining({ meta: expect.objectContaining({ requestId: "lead-1" }) }),
    ]);
  });

  it("reports meta.matched: false as an unbilled no-match", async () => {
    const batch = await batchData().trace([request("lead-9", "9 NOMATCH Rd")]);

    expect(batch).toEqual({
      value: [
        {
          requestId: "lead-9",
          matched: false,
          persons: [],
          confidence: null,
          error: null,
          raw: [
            expect.objectContaining({
              meta: { matched: false, error: false, requestId: "lead-9" },
            }),
          ],
        },
      ],
      billing: { units: 0, possiblyBilled: false },
    });
  });

  it("matches a mixed batch answered in reverse order back to its requests by requestId", async () => {
    const requests = [
      request("a", "100 Oak St", { ownerName: { first: "Ann", last: "Ames" } }),
      request("b", "200 NOMATCH Ave"),
      request("c", "300 Elm St", { ownerName: { first: "Cy", last: "Cole" } }),
      request("d", "400 Pine St", { ownerName: { first: "Di", last: "Diaz" } }),
      request("e", "500 NOMATCH Blvd"),
    ];

    const batch = await batchData().trace(requests);

    expect(batch.value.map((result) => result.requestId)).toEqual(["a", "b", "c", "d", "e"]);
    expect(matchedIds(batch)).toEqual(["a", "c", "d"]);
    expect(batch.value.map((result) => result.persons[0]?.name.last ?? null)).toEqual([
      "AMES",
      null,
      "COLE",
      "DIAZ",
      null,
    ]);
    expect(batch.billing.units).toBe(3);
    expect(fake.requests).toHaveLength(1);
  });

  it("keeps TCPA-flagged phones, flagged, and never picks them as the best phone", async () => {
    const batch = await batchData().trace([request("lead-1")]);
    const phones = batch.value[0]?.persons[0]?.phones ?? [];

    expect(sentBody().options.includeTCPABlacklistedPhones).toBe(true);
    const tcpa = phones.filter((phone) => phone.tcpa);
    expect(tcpa).toEqual([
      expect.objectContaining({ type: "mobile", score: 99, dnc: false, tcpa: true }),
    ]);
    expect(phones.find((phone) => phone.type === "landline")).toMatchObject({ dnc: true });

    const best = chooseBestPhone(phones);
    expect(best.phone).toMatchObject({ type: "mobile", score: 95, tcpa: false, dnc: false });
    expect(best.reason).toMatch(/1 TCPA-flagged mobile/);
    expect(batch.billing.units).toBe(1);
  });

  it("does not send a request whose address cannot be traced, and bills only what was sent and matched", async () => {
    const batch = await batchData().trace([
      request("ok"),
      skipTraceRequestSchema.parse({
        requestId: "no-zip",
        address: { street: "1 Main St", city: "Austin" },
      }),
    ]);

    expect(sentBody().requests.map((sent) => sent.requestId)).toEqual(["ok"]);
    expect(batch.value).toEqual([
      expect.objectContaining({ requestId: "ok", matched: true }),
      expect.objectContaining({
        requestId: "no-zip",
        matched: false,
        error: "The address needs a ZIP code, or a city and state, to be skip traced",
      }),
    ]);
    expect(batch.billing.units).toBe(1);
  });

  it("makes no call for an empty batch and refuses an oversized one before sending", async () => {
    expect(await batchData().trace([])).toEqual({ value: [], billing: { units: 0, possiblyBilled: false } });

    const tooMany = Array.from({ length: SKIP_TRACE_BATCH_SIZE + 1 }, (_, i) => request(`r${i}`));
    const error = await failure(batchData().trace(tooMany));
    expect(error.code).toBe("BAD_REQUEST");
    expect(fake.requests).toHaveLength(0);
  });

  it("reports HTTP 400 as BAD_REQUEST with BatchData's message, unbilled and not retried", async () => {
    fake.respondWith([batchDataBadRequest("requests[0].propertyAddress.state is invalid")]);

    const error = await failure(batchData().trace([request("lead-1")]));

    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toBe(
      "BatchData rejected the request (400): requests[0].propertyAddress.state is invalid",
    );
    expect(fake.requests).toHaveLength(1);
  });

  it("says which setting to fix when BatchData rejects the token, without retrying", async () => {
    const error = await failure(batchData({}, "wrong-token").trace([request("lead-1")]));

    expect(error.code).toBe("PRECONDITION_FAILED");
    expect(error.message).toBe("BatchData token rejected (401): check BATCHDATA_API_TOKEN");
    expect(fake.requests).toHaveLength(1);
    expect(providerHealth("batchdata")).toMatchObject({
      circuit: "closed",
      lastError: expect.stringMatching(/HTTP 401/),
    });
  });

  it.each([
    [403, "PRECONDITION_FAILED", /BatchData token rejected \(403\)/],
    [404, "BAD_GATEWAY", /check BATCHDATA_BASE_URL/],
    [405, "BAD_GATEWAY", /check BATCHDATA_BASE_URL/],
  ])("does not retry HTTP %i (%s)", async (status, code, message) => {
    fake.respondWith(() => ({ status, body: { status: { code: status, text: "Error" } } }));

    const error = await failure(batchData().trace([request("lead-1")]));

    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(fake.requests).toHaveLength(1);
  });

  it("retries a 429 (BatchData did not bill it) and bills only the answer that succeeded", async () => {
    fake.respondWith([{ status: 429, headers: { "Retry-After": "0" }, body: {} }]);

    const batch = await batchData().trace([request("a"), request("b", "2 NOMATCH Ct")]);

    expect(fake.requests).toHaveLength(2);
    expect(sentBody(1)).toEqual(sentBody(0));
    expect(matchedIds(batch)).toEqual(["a"]);
    expect(batch.billing.units).toBe(1);
  });

  it("retries a 500 once and succeeds", async () => {
    fake.respondWith([{ status: 500, rawBody: "Internal Server Error" }]);

    const batch = await batchData().trace([request("a")]);

    expect(fake.requests).toHaveLength(2);
    expect(batch.billing.units).toBe(1);
  });

  it("opens the circuit on repeated 500s, fails fast, then closes after a successful probe", async () => {
    fake.respondWith(() => ({ status: 500, rawBody: "Internal Server Error" }));
    const provider = batchData();

    const outage = await failure(provider.trace([request("a")]));
    expect(outage.code).toBe("SERVICE_UNAVAILABLE");
    expect(outage.message).toMatch(
      /BatchData is having problems \(HTTP 500\)\. Nothing was charged/,
    );
    expect(billingOfFailure(outage)).toEqual({ units: 0, possiblyBilled: false });
    expect(fake.requests).toHaveLength(3);

    const fastFailure = await failure(provider.trace([request("a")]));
    expect(fastFailure).toBeInstanceOf(ProviderUnavailableError);
    expect(fastFailure.message).toMatch(/BatchData .* try again in about/);
    expect(fake.requests).toHaveLength(3);
    expect(providerHealth("batchdata").circuit).toBe("open");

    await sleep(250);
    fake.reset();
    const recovered = await provider.trace([request("a")]);

    expect(recovered.billing.units).toBe(1);
    expect(fake.requests).toHaveLength(1);
    expect(providerHealth("batchdata")).toMatchObject({
      circuit: "closed",
      consecutiveFailures: 0,
    });
  });

  it("does not resend a batch that timed out, since BatchData may have billed it", async () => {
    fake.respondWith((_request, defaultResponse) => ({ ...defaultResponse(), delayMs: 400 }));

    const error = await failure(batchData({ timeoutMs: 100 }).trace([request("a"), request("b")]));

    expect(error.code).toBe("GATEWAY_TIMEOUT");
    expect(error.message).toMatch(/may still have traced these 2 records and billed the matches/);
    expect(error).toBeInstanceOf(ProviderCallError);
    expect((error as ProviderCallError).billing).toEqual({ units: 2, possiblyBilled: true });
    expect(fake.requests).toHaveLength(1);
  });

  it("retries a refused connection, which never reached BatchData, then reports it unbilled", async () => {
    const closed = await startFakeBatchData();
    const baseUrl = closed.baseUrl;
    await closed.close();

    const provider = createBatchDataSkipTrace({
      token: fake.token,
      baseUrl,
      http: { timeoutMs: 500, retries: 2, backoff: { baseDelayMs: 5, maxDelayMs: 20 } },
    });
    const error = await failure(provider.trace([request("a")]));

    expect(error.code).toBe("SERVICE_UNAVAILABLE");
    expect(error.message).toBe("Could not reach BatchData. Try again in a minute.");
    expect(billingOfFailure(error)).toEqual({ units: 0, possiblyBilled: false });
    expect(providerHealth("batchdata").consecutiveFailures).toBe(3);
  });

  it.each([
    ["malformed JSON", '{"status": {"code": 200}, "results": {"persons": [{"meta": '],
    ["an HTML error page", "<html><body>502 Bad Gateway</body></html>"],
    ["JSON that is not a skip-trace answer", '{"status": {"code": 200, "text": "OK"}}'],
  ])("reports %s as an unreadable, unbilled response", async (_label, rawBody) => {
    fake.respondWith([{ status: 200, rawBody }]);

    const error = await failure(batchData().trace([request("a")]));

    expect(error.code).toBe("BAD_GATEWAY");
    expect(error.message).toMatch(
      /^BatchData returned an unreadable response\. Nothing was charged/,
    );
    expect(fake.requests).toHaveLength(1);
  });
});
