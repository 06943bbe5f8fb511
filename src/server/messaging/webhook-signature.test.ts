import { describe, expect, it } from "vitest";
import { getExpectedTwilioSignature } from "twilio";
import { isValidTwilioSignature, publicWebhookUrl, twilioSignature, webhookSigningSecret } from "./webhook-signature";

// Twilio's documented example (also twilio-node's own test vector).
const TOKEN = "12345";
const URL_ = "https://mycompany.com/myapp.php?foo=1&bar=2";
const PARAMS = { CallSid: "CA1234567890ABCDE", Caller: "+12349013030", Digits: "1234", From: "+12349013030", To: "+18005551212" };

describe("twilio webhook signature", () => {
  it("matches Twilio's documented vector and the SDK", () => {
    expect(twilioSignature(TOKEN, URL_, PARAMS)).toBe("0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
    const params = { Body: "Stop é 🙂", MessageSid: "SM1", Zeta: "", alpha: "a" };
    expect(twilioSignature("tok", "https://x.test/a", params)).toBe(getExpectedTwilioSignature("tok", "https://x.test/a", params));
  });

  it("rejects a forged, missing, other-URL or tampered signature", () => {
    const good = twilioSignature(TOKEN, URL_, PARAMS);
    expect(isValidTwilioSignature(TOKEN, good, URL_, PARAMS)).toBe(true);
    expect(isValidTwilioSignature(TOKEN, null, URL_, PARAMS)).toBe(false);
    expect(isValidTwilioSignature(TOKEN, "", URL_, PARAMS)).toBe(false);
    expect(isValidTwilioSignature("other-token", good, URL_, PARAMS)).toBe(false);
    expect(isValidTwilioSignature(TOKEN, good, "https://mycompany.com/other.php?foo=1&bar=2", PARAMS)).toBe(false);
    expect(isValidTwilioSignature(TOKEN, good, URL_, { ...PARAMS, Digits: "9999" })).toBe(false);
    expect(isValidTwilioSignature(TOKEN, good.slice(0, -2), URL_, PARAMS)).toBe(false);
  });

  it("signs with the auth token when Twilio is live, else with a key derived from NEXTAUTH_SECRET", () => {
    const base = { NEXTAUTH_SECRET: "a-secret-long-enough", NEXTAUTH_URL: "http://localhost:3000" };
    expect(webhookSigningSecret({ ...base, TWILIO_ACCOUNT_SID: "AC1", TWILIO_AUTH_TOKEN: "tok" })).toBe("tok");
    const simulated = webhookSigningSecret(base);
    expect(simulated).not.toBe(base.NEXTAUTH_SECRET);
    expect(simulated).toBe(webhookSigningSecret(base));
    expect(simulated).not.toBe(webhookSigningSecret({ ...base, NEXTAUTH_SECRET: "another-secret-long-enough" }));
  });

  it("builds the URL Twilio was given from PUBLIC_BASE_URL, else NEXTAUTH_URL, keeping path and query", () => {
    const base = { NEXTAUTH_SECRET: "x".repeat(16), NEXTAUTH_URL: "http://localhost:3000" };
    expect(publicWebhookUrl(base, "http://10.0.0.5:3000/api/webhooks/twilio/status?x=1")).toBe("http://localhost:3000/api/webhooks/twilio/status?x=1");
    expect(publicWebhookUrl({ ...base, PUBLIC_BASE_URL: "https://leads.example.com/" }, "http://internal/api/webhooks/twilio/inbound")).toBe(
      "https://leads.example.com/api/webhooks/twilio/inbound",
    );
  });
});
