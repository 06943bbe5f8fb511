import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  startFakeTwilioLookup,
  twilioError,
  twilioLookupAnswer,
  type FakeTwilioLookup,
} from "@/test/fakes/twilio-lookup-server";
import { AppError } from "../../errors";
import { ProviderCallError } from "../billing";
import { providerHealth, resetProviderHttpForTests, type ProviderHttpTuning } from "../http";
import { createTwilioPhoneLookup, toLineType } from "./lookup";

let fake: FakeTwilioLookup;
beforeAll(async () => {
  fake = await startFakeTwilioLookup();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  resetProviderHttpForTests();
});

/** The lookup's result alone; billing is checked through `billedLookup`. */
function twilio(tuning: ProviderHttpTuning = {}, authToken = fake.authToken) {
  const lookup = billedLookup(tuning, authToken);
  return { lookup: async (e164: string) => (await lookup.lookup(e164)).value };
}

function billedLookup(tuning: ProviderHttpTuning = {}, authToken = fake.authToken) {
  return createTwilioPhoneLookup({
    accountSid: fake.accountSid,
    authToken,
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

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected the lookup to fail");
}

// The fake answers by last digit: 0–4 mobile, 5–6 landline, 7 fixedVoip, 8 nonFixedVoip, 9 tollFree.
describe("Twilio Lookup v2", () => {
  it("looks up a mobile with basic auth and only the line type package", async () => {
    const result = await twilio().lookup("+15125550101");

    expect(result).toMatchObject({
      number: "+15125550101",
      lineType: "mobile",
      carrier: "T-Mobile USA, Inc.",
      valid: true,
      raw: expect.objectContaining({
        line_type_intelligence: expect.objectContaining({ type: "mobile" }),
      }),
    });
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request).toMatchObject({
      method: "GET",
      path: "/PhoneNumbers/+15125550101",
      query: { Fields: "line_type_intelligence" },
    });
    const basic = Buffer.from(`${fake.accountSid}:${fake.authToken}`).toString("base64");
    expect(request?.headers.authorization).toBe(`Basic ${basic}`);
  });

  it("maps a landline", async () => {
    expect(await twilio().lookup("+15125550105")).toMatchObject({
      lineType: "landline",
      carrier: "AT&T Southwest",
    });
  });

  it.each([
    ["+15125550107", "fixedVoip"],
    ["+15125550108", "nonFixedVoip"],
  ])("maps %s (%s) to voip", async (number, twilioType) => {
    const result = await twilio().lookup(number);

    expect(result.lineType).toBe("voip");
    expect(result.raw).toMatchObject({ line_type_intelligence: { type: twilioType } });
  });

  it("maps the types SMS cannot use (tollFree, pager, missing intelligence) to unknown", async () => {
    expect((await twilio().lookup("+18005550109")).lineType).toBe("unknown");

    fake.respondWith([twilioLookupAnswer("+15125550101", { type: "pager", carrier_name: null })]);
    expect(await twilio().lookup("+15125550101")).toMatchObject({
      lineType: "unknown",
      carrier: null,
    });

    fake.respondWith([twilioLookupAnswer("+15125550101", null)]);
    expect((await twilio().lookup("+15125550101")).lineType).toBe("unknown");
  });

  it("reports a number Twilio says cannot exist as invalid, not as an error", async () => {
    fake.respondWith([twilioLookupAnswer("+1512", null, false)]);

    expect(await twilio().lookup("+15125550101")).toMatchObject({
      valid: false,
      lineType: "unknown",
    });
  });

  it("answers 404 with NOT_FOUND, without retrying", async () => {
    const error = await failure(twilio().lookup("+15125550000"));

    expect(error.code).toBe("NOT_FOUND");
    expect(error.message).toBe("Twilio does not know this number");
    expect(fake.requests).toHaveLength(1);
  });

  it("says which settings to fix when Twilio rejects the credentials, without retrying", async () => {
    const error = await failure(twilio({}, "wrong-token").lookup("+15125550101"));

    expect(error.code).toBe("PRECONDITION_FAILED");
    expect(error.message).toBe(
      "Twilio credentials rejected (401): check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN",
    );
    expect(fake.requests).toHaveLength(1);
    expect(providerHealth("twilio_lookup").lastError).toMatch(/HTTP 401/);
  });

  it("retries a 429 and a 503, then answers", async () => {
    fake.respondWith([
      { ...twilioError(429, 20429, "Too Many Requests"), headers: { "Retry-After": "0" } },
      twilioError(503, 20503, "Service Unavailable"),
    ]);

    expect((await twilio().lookup("+15125550101")).lineType).toBe("mobile");
    expect(fake.requests).toHaveLength(3);
  });

  it("refuses a number that is not E.164 before paying for a lookup", async () => {
    const error = await failure(twilio().lookup("512-555-0101"));

    expect(error.code).toBe("BAD_REQUEST");
    expect(fake.requests).toHaveLength(0);
  });

  it("bills an answered lookup; a timed-out one is not resent and counts as possibly billed", async () => {
    expect((await billedLookup().lookup("+15125550101")).billing).toEqual({ units: 1, possiblyBilled: false });

    fake.reset();
    fake.respondWith(() => ({ status: 200, body: {}, delayMs: 400 }));
    const error = await failure(billedLookup({ timeoutMs: 100 }).lookup("+15125550101"));
    expect(error.code).toBe("GATEWAY_TIMEOUT");
    expect((error as ProviderCallError).billing).toEqual({ units: 1, possiblyBilled: true });
    expect(fake.requests).toHaveLength(1);
  });

  it("reports an unreadable answer as BAD_GATEWAY", async () => {
    fake.respondWith([{ status: 200, rawBody: '{"calling_country_code": "1", "valid": tr' }]);

    const error = await failure(twilio().lookup("+15125550101"));

    expect(error.code).toBe("BAD_GATEWAY");
    expect(error.message).toMatch(/^Twilio Lookup returned an unreadable response/);
  });
});

describe("toLineType", () => {
  it.each([
    ["mobile", "mobile"],
    ["landline", "landline"],
    ["fixedVoip", "voip"],
    ["nonFixedVoip", "voip"],
    ["personal", "unknown"],
    ["tollFree", "unknown"],
    ["voicemail", "unknown"],
    [null, "unknown"],
  ] as const)("%s → %s", (type, expected) => {
    expect(toLineType(type)).toBe(expected);
  });
});
