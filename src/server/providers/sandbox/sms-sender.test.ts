import { describe, expect, it } from "vitest";
import { SmsSendError, type SmsSendRequest } from "../sms-sender";
import {
  createSandboxSmsSender,
  SANDBOX_SMS_OUTCOMES,
  SANDBOX_SMS_SENDER_NUMBER,
  sandboxMessageSid,
  sandboxSmsOutcome,
} from "./sms-sender";

const SERVICE_SID = `MG${"c".repeat(32)}`;

function request(to: string, overrides: Partial<SmsSendRequest> = {}): SmsSendRequest {
  return {
    to,
    body: "Hi, this is Ana from Acme Homes. Reply STOP to opt out.",
    from: "+15125550100",
    statusCallbackUrl: "https://leadflow.example.com/api/webhooks/twilio/status",
    clientReference: "msg_42",
    ...overrides,
  } as SmsSendRequest;
}

const sender = createSandboxSmsSender();

async function refusal(to: string): Promise<SmsSendError> {
  try {
    await sender.send(request(to));
  } catch (error) {
    expect(error).toBeInstanceOf(SmsSendError);
    return error as SmsSendError;
  }
  throw new Error("expected a refusal");
}

const statusesOf = async (to: string) =>
  (await sender.send(request(to))).value.simulatedStatusCallbacks?.map((callback) => [callback.status, callback.errorCode]);

describe("simulated SMS sender", () => {
  it("delivers an ordinary number: sent, then delivered, later; billed by segment", async () => {
    const result = await sender.send(request("+13035550142", { body: "x".repeat(200) }));

    expect(result.billing).toEqual({ units: 2, possiblyBilled: false });
    expect(result.value).toMatchObject({ status: "queued", segments: 2, to: "+13035550142", from: "+15125550100" });
    const callbacks = result.value.simulatedStatusCallbacks ?? [];
    expect(callbacks.map((callback) => callback.status)).toEqual(["sent", "delivered"]);
    expect(callbacks[0]!.afterMs).toBeLessThan(callbacks[1]!.afterMs);
    expect(callbacks[1]!.params).toMatchObject({
      MessageSid: result.value.providerMessageId,
      MessageStatus: "delivered",
      To: "+13035550142",
      From: "+15125550100",
    });
    expect(callbacks[1]!.params).not.toHaveProperty("ErrorCode");
  });

  it("is deterministic: the same message gets the same SID and events", async () => {
    const first = await sender.send(request("+13035550191"));
    const second = await sender.send(request("+13035550191"));
    expect(second.value).toEqual(first.value);
    expect(first.value.providerMessageId).toBe(sandboxMessageSid("msg_42", "+13035550191"));
    expect(first.value.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect((await sender.send(request("+13035550191", { clientReference: "msg_43" }))).value.providerMessageId).not.toBe(
      first.value.providerMessageId,
    );
  });

  it.each([
    ["+13035550190", [["sent", null], ["delivered", null]]],
    ["+13035550191", [["sent", null], ["undelivered", 30003]]],
    ["+12145550192", [["sent", null], ["undelivered", 30007]]],
    ["+12145550196", [["failed", 30034]]],
  ])("%s ends as the table says", async (to, expected) => {
    expect(await statusesOf(to)).toEqual(expected);
  });

  it("puts the error code in the final callback's form fields", async () => {
    const callbacks = (await sender.send(request("+13035550192"))).value.simulatedStatusCallbacks ?? [];
    expect(callbacks.at(-1)?.params).toMatchObject({ MessageStatus: "undelivered", ErrorCode: "30007" });
  });

  it.each([
    ["+13035550193", 21610, "PRECONDITION_FAILED", "suppress"],
    ["+13035550194", 21211, "BAD_REQUEST", "invalid"],
    ["+13035550195", 21614, "BAD_REQUEST", "landline"],
  ] as const)("refuses %s at send with %i, like Twilio, not billed", async (to, code, appCode, effect) => {
    const error = await refusal(to);
    expect(error.appCode).toBe(appCode);
    expect(error.smsError).toEqual({ code, permanent: true, effect });
    expect(error.billing).toEqual({ units: 0, possiblyBilled: false });
  });

  it("only the fictional 555-01xx family is special: a real-looking number ending 0193 is delivered", async () => {
    expect(sandboxSmsOutcome("+13037770193")).toEqual({ kind: "delivered" });
    expect(sandboxSmsOutcome("+13035550193")).toEqual({ kind: "refused", errorCode: 21610 });
  });

  it("via a Messaging Service: accepted, sent from the sandbox number, the service in the callbacks", async () => {
    const result = await sender.send(request("+13035550142", { from: undefined, messagingServiceSid: SERVICE_SID }));
    expect(result.value).toMatchObject({ status: "accepted", from: null, messagingServiceSid: SERVICE_SID });
    expect(result.value.simulatedStatusCallbacks?.[0]?.params).toMatchObject({
      From: SANDBOX_SMS_SENDER_NUMBER,
      MessagingServiceSid: SERVICE_SID,
    });
  });

  it("refuses an unusable request, and a cancelled one", async () => {
    await expect(sender.send(request("5550142"))).rejects.toMatchObject({ appCode: "BAD_REQUEST" });
    await expect(sender.send(request("+13035550142", { signal: AbortSignal.abort() }))).rejects.toThrow();
  });

  it("documents every special number once, each with a different outcome", () => {
    const suffixes = SANDBOX_SMS_OUTCOMES.map((entry) => entry.suffix);
    expect(new Set(suffixes).size).toBe(suffixes.length);
    for (const entry of SANDBOX_SMS_OUTCOMES) expect(sandboxSmsOutcome(`+1512555${entry.suffix}`)).toEqual(entry.outcome);
  });
});
