import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  startFakeTwilioMessaging,
  twilioError,
  twilioMessageResource,
  type FakeTwilioMessaging,
} from "@/test/fakes/twilio-messaging-server";
import { AppError } from "../../errors";
import { ProviderCallError } from "../billing";
import { providerHealth, resetProviderHttpForTests, type ProviderHttpTuning } from "../http";
import { SmsSendError, type SmsSendRequest } from "../sms-sender";
import { createTwilioSmsSender } from "./messaging";

let fake: FakeTwilioMessaging;
beforeAll(async () => {
  fake = await startFakeTwilioMessaging();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  resetProviderHttpForTests();
});

function sender(tuning: ProviderHttpTuning = {}, authToken = fake.authToken) {
  return createTwilioSmsSender({
    accountSid: fake.accountSid,
    authToken,
    baseUrl: fake.origin,
    http: {
      timeoutMs: 500,
      retries: 2,
      backoff: { baseDelayMs: 5, maxDelayMs: 20 },
      breaker: { failureThreshold: 3, halfOpenAfterMs: 60_000 },
      ...tuning,
    },
  });
}

const SERVICE_SID = `MG${"a".repeat(32)}`;
const CALLBACK = "https://leadflow.example.com/api/webhooks/twilio/status";

function request(overrides: Partial<SmsSendRequest> = {}): SmsSendRequest {
  return {
    to: "+15125550142",
    body: "Hi Pat, this is Ana from Acme Homes. Reply STOP to opt out.",
    messagingServiceSid: SERVICE_SID,
    statusCallbackUrl: CALLBACK,
    clientReference: "msg_1",
    ...overrides,
  } as SmsSendRequest;
}

async function failure(promise: Promise<unknown>): Promise<SmsSendError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SmsSendError);
    return error as SmsSendError;
  }
  throw new Error("expected the send to fail");
}

const messagesPath = () => `/Accounts/${fake.accountSid}/Messages.json`;

describe("Twilio messaging adapter", () => {
  it("sends through the Messaging Service with the right form and Basic auth, and bills Twilio's segments", async () => {
    const body = "x".repeat(161);
    const result = await sender().send(request({ body }));

    expect(result.value).toMatchObject({
      providerMessageId: "SM00000000000000000000000000000001",
      status: "accepted",
      segments: 2,
      to: "+15125550142",
      from: null,
      messagingServiceSid: SERVICE_SID,
      raw: expect.objectContaining({ num_segments: "2", direction: "outbound-api" }),
    });
    expect(result.billing).toEqual({ units: 2, possiblyBilled: false });
    expect(fake.requests).toHaveLength(1);
    const [received] = fake.requests;
    expect(received).toMatchObject({ method: "POST", path: messagesPath() });
    expect(received?.form).toEqual({ To: "+15125550142", Body: body, MessagingServiceSid: SERVICE_SID, StatusCallback: CALLBACK });
    expect(received?.headers["content-type"]).toMatch(/^application\/x-www-form-urlencoded/);
    const basic = Buffer.from(`${fake.accountSid}:${fake.authToken}`).toString("base64");
    expect(received?.headers.authorization).toBe(`Basic ${basic}`);
    expect(received?.headers["user-agent"]).toMatch(/^twilio-node\//);
  });

  it("sends from a number, with a validity period, and reads the queued status", async () => {
    const result = await sender().send(
      request({ messagingServiceSid: undefined, from: "+15125550100", validityPeriodSeconds: 3600 }),
    );

    expect(result.value).toMatchObject({ status: "queued", from: "+15125550100", messagingServiceSid: null, segments: 1 });
    expect(fake.requests[0]?.form).toEqual({
      To: "+15125550142",
      From: "+15125550100",
      Body: request().body,
      StatusCallback: CALLBACK,
      ValidityPeriod: "3600",
    });
  });

  it("falls back on its own segment estimate when Twilio leaves num_segments out", async () => {
    fake.respondWith([
      {
        status: 201,
        body: twilioMessageResource({ sid: `SM${"b".repeat(32)}`, to: "+15125550142", body: "é😀", messagingServiceSid: SERVICE_SID, numSegments: null }),
      },
    ]);

    const result = await sender().send(request({ body: "ł".repeat(71) }));
    expect(result.value.segments).toBe(2);
    expect(result.billing).toEqual({ units: 2, possiblyBilled: false });
  });

  it.each([
    ["+15125550193", 21610, "PRECONDITION_FAILED", "suppress"],
    ["+15125550194", 21211, "BAD_REQUEST", "invalid"],
    ["+15125550195", 21614, "BAD_REQUEST", "landline"],
  ] as const)("a refusal of %s (%i) is typed, not billed and not retried", async (to, code, appCode, effect) => {
    const error = await failure(sender().send(request({ to })));

    expect(error.appCode).toBe(appCode);
    expect(error.smsError).toEqual({ code, permanent: true, effect });
    expect(error.billing).toEqual({ units: 0, possiblyBilled: false });
    expect(error.message).toContain(`Twilio error ${code}`);
    expect(error.details).toMatchObject({ httpStatus: 400, providerMessage: expect.any(String) });
    expect(fake.requests).toHaveLength(1);
  });

  it("30034 (unregistered 10DLC) is a configuration problem that touches no phone", async () => {
    fake.respondWith([twilioError(400, 30034, "Message from an Unregistered Number")]);

    const error = await failure(sender().send(request()));
    expect(error.appCode).toBe("PROVIDER_MISCONFIGURED");
    expect(error.smsError).toEqual({ code: 30034, permanent: true, effect: "none" });
  });

  it("retries a 429 (Twilio did not take the message) and bills only the accepted send", async () => {
    fake.respondWith([{ ...twilioError(429, 20429, "Too Many Requests"), headers: { "Retry-After": "0" } }]);

    const result = await sender().send(request());
    expect(result.value.status).toBe("accepted");
    expect(result.billing).toEqual({ units: 1, possiblyBilled: false });
    expect(fake.requests).toHaveLength(2);
  });

  it("a 429 that persists is retry-later and not billed", async () => {
    fake.respondWith(() => ({ ...twilioError(429, 20429, "Too Many Requests"), headers: { "Retry-After": "0" } }));

    const error = await failure(sender({ breaker: { failureThreshold: 10 } }).send(request()));
    expect(error.appCode).toBe("PROVIDER_UNAVAILABLE");
    expect(error.smsError).toEqual({ code: 20429, permanent: false, effect: "retry_later" });
    expect(error.billing).toEqual({ units: 0, possiblyBilled: false });
    expect(fake.requests).toHaveLength(3);
  });

  it("does not resend a create that got a 500: possibly billed", async () => {
    fake.respondWith([twilioError(500, 20500, "Internal Server Error")]);

    const error = await failure(sender().send(request({ body: "x".repeat(200) })));
    expect(error.appCode).toBe("PROVIDER_UNAVAILABLE");
    expect(error.smsError).toEqual({ code: 20500, permanent: false, effect: "none" });
    expect(error.billing).toEqual({ units: 2, possiblyBilled: true });
    expect(fake.requests).toHaveLength(1);
  });

  it("does not resend a create that timed out: possibly billed", async () => {
    fake.respondWith(() => ({ status: 201, body: {}, delayMs: 400 }));

    const error = await failure(sender({ timeoutMs: 100 }).send(request()));
    expect(error.appCode).toBe("PROVIDER_TIMEOUT");
    expect(error.smsError).toEqual({ code: null, permanent: false, effect: "none" });
    expect(error.billing).toEqual({ units: 1, possiblyBilled: true });
    expect(fake.requests).toHaveLength(1);
  });

  it("500s open the breaker; then sends are refused without a request and without billing", async () => {
    fake.respondWith(() => twilioError(500, 20500, "Internal Server Error"));
    const send = sender();
    for (let attempt = 0; attempt < 3; attempt++) await failure(send.send(request()));
    expect(fake.requests).toHaveLength(3);
    expect(providerHealth("twilio").circuit).toBe("open");

    const error = await failure(send.send(request()));
    expect(error.appCode).toBe("PROVIDER_UNAVAILABLE");
    expect(error.smsError).toEqual({ code: null, permanent: false, effect: "retry_later" });
    expect(error.billing).toEqual({ units: 0, possiblyBilled: false });
    expect(error.retryAfterSeconds).toBeGreaterThan(0);
    expect(fake.requests).toHaveLength(3);
  });

  it("an unreadable 2xx is PROVIDER_ERROR, possibly billed (Twilio took the message), and not resent", async () => {
    fake.respondWith([{ status: 201, rawBody: '{"sid": "SM0000000000000000000000000000000', headers: {} }]);

    const error = await failure(sender().send(request()));
    expect(error.appCode).toBe("PROVIDER_ERROR");
    expect(error.billing).toEqual({ units: 1, possiblyBilled: true });
    expect(fake.requests).toHaveLength(1);
  });

  it("a 2xx that is JSON but not a message is PROVIDER_ERROR too", async () => {
    fake.respondWith([{ status: 201, body: { ok: true } }]);

    const error = await failure(sender().send(request()));
    expect(error.appCode).toBe("PROVIDER_ERROR");
  });

  it("an unreadable error answer (a proxy's HTML 400) is a refusal without a code, not billed", async () => {
    fake.respondWith([{ status: 400, rawBody: "<html>Bad Request</html>", headers: { "Content-Type": "text/html" } }]);

    const error = await failure(sender().send(request()));
    expect(error.appCode).toBe("BAD_REQUEST");
    expect(error.smsError).toEqual({ code: null, permanent: true, effect: "none" });
    expect(error.billing).toEqual({ units: 0, possiblyBilled: false });
  });

  it("rejected credentials say which settings to fix", async () => {
    const error = await failure(sender({}, "wrong-token").send(request()));

    expect(error.appCode).toBe("PROVIDER_MISCONFIGURED");
    expect(error.message).toMatch(/TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN/);
    expect(error.smsError.code).toBe(20003);
    expect(providerHealth("twilio").lastError).toMatch(/HTTP 401/);
  });

  it("refuses an unusable request before any paid call", async () => {
    for (const bad of [
      request({ to: "512-555-0142" }),
      request({ body: "  " }),
      request({ messagingServiceSid: "MG123" }),
      request({ messagingServiceSid: undefined }),
      request({ from: "+15125550100" }),
      request({ statusCallbackUrl: "/relative" }),
      request({ body: "x".repeat(1601) }),
    ]) {
      const error = await failure(sender().send(bad));
      expect(error.appCode).toBe("BAD_REQUEST");
      expect(error.billing.units).toBe(0);
    }
    expect(fake.requests).toHaveLength(0);
  });

  it("a send cancelled while Twilio is answering is possibly billed; one cancelled before it starts is not sent", async () => {
    fake.respondWith(() => ({ status: 201, body: {}, delayMs: 300 }));
    const controller = new AbortController();
    const pending = failure(sender().send(request({ signal: controller.signal })));
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    const error = await pending;
    expect(error.appCode).toBe("REQUEST_ABORTED");
    expect(error.billing).toEqual({ units: 1, possiblyBilled: true });
    expect(fake.requests).toHaveLength(1);

    await expect(sender().send(request({ signal: AbortSignal.abort() }))).rejects.toMatchObject({
      appCode: "REQUEST_ABORTED",
      billing: { units: 0, possiblyBilled: false },
    });
    expect(fake.requests).toHaveLength(1);
  });

  it("a connection refused before sending is not billed", async () => {
    const closed = await startFakeTwilioMessaging();
    const origin = closed.origin;
    await closed.close();
    const error = await failure(
      createTwilioSmsSender({ accountSid: fake.accountSid, authToken: fake.authToken, baseUrl: origin, http: { timeoutMs: 500 } }).send(request()),
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error.appCode).toBe("PROVIDER_UNAVAILABLE");
    expect(error.smsError.effect).toBe("retry_later");
    expect((error as ProviderCallError).billing).toEqual({ units: 0, possiblyBilled: false });
  });
});
