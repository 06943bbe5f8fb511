import { describe, expect, it } from "vitest";
import { classifyInboundSms } from "./classify";
import { DEFAULT_SMS_REPLY_RULES } from "./default-rules";
import { autoReplyFor, DEFAULT_SMS_REPLY_TEXTS, smsReplyTextsSchema } from "./replies";

const SENDER = { brand: "Acme Home Buyers", contact: "(555) 010-2000 or help@acme.example" };
const reply = (body: string, optOutType?: string, wasOptedOut?: boolean) =>
  autoReplyFor(classifyInboundSms(body, DEFAULT_SMS_REPLY_RULES, { optOutType }), SENDER, DEFAULT_SMS_REPLY_TEXTS, { wasOptedOut });

describe("autoReplyFor", () => {
  it("answers STOP with exactly one plain confirmation naming the sender", () => {
    expect(reply("STOP")).toBe("Acme Home Buyers: You are unsubscribed and will receive no more messages. Reply START to resubscribe.");
    expect(reply("stop!!", undefined, false)).toBe(reply("STOP"));
  });

  it("sends no second confirmation to a number that was already opted out", () => {
    expect(reply("STOP", undefined, true)).toBeNull();
  });

  it("answers START with a confirmation, but a bare yes from a number that was not opted out gets nothing", () => {
    expect(reply("START")).toBe("Acme Home Buyers: You are resubscribed to messages. Reply STOP to opt out, HELP for help.");
    expect(reply("Yes", undefined, true)).toBe(reply("START"));
    expect(reply("Yes", undefined, false)).toBeNull();
  });

  it("answers HELP with the organization's help text and sender identity, opted out or not", () => {
    expect(reply("HELP")).toBe("Acme Home Buyers: for help contact (555) 010-2000 or help@acme.example. Reply STOP to opt out.");
    expect(reply("info", undefined, true)).toBe(reply("HELP"));
  });

  it("sends nothing when Twilio already answered (OptOutType present)", () => {
    expect(reply("STOP", "STOP")).toBeNull();
    expect(reply("START", "START")).toBeNull();
    expect(reply("HELP", "HELP")).toBeNull();
  });

  it.each(["Please stop texting me", "wrong number", "who is this?", "How much?", ""])("sends nothing for %j", (body) => {
    expect(reply(body)).toBeNull();
  });

  it("uses the organization's edited texts", () => {
    const texts = smsReplyTextsSchema.parse({ ...DEFAULT_SMS_REPLY_TEXTS, help: "{brand} — call {contact}. STOP to end." });
    const result = classifyInboundSms("help", DEFAULT_SMS_REPLY_RULES);
    expect(autoReplyFor(result, SENDER, texts)).toBe("Acme Home Buyers — call (555) 010-2000 or help@acme.example. STOP to end.");
  });
});

describe("smsReplyTextsSchema", () => {
  it("accepts the defaults", () => {
    expect(smsReplyTextsSchema.parse(DEFAULT_SMS_REPLY_TEXTS)).toEqual(DEFAULT_SMS_REPLY_TEXTS);
  });

  it.each([
    [{ ...DEFAULT_SMS_REPLY_TEXTS, optOut: "You are unsubscribed." }, "must name the sender"],
    [{ ...DEFAULT_SMS_REPLY_TEXTS, help: "{brand}: reply STOP to opt out." }, "include {brand} and {contact}"],
    [{ ...DEFAULT_SMS_REPLY_TEXTS, optIn: "{brand}: welcome back {first_name}!" }, "Unknown placeholder {first_name}"],
    [{ ...DEFAULT_SMS_REPLY_TEXTS, optOut: "" }, "must not be empty"],
    [{ ...DEFAULT_SMS_REPLY_TEXTS, help: `{brand} {contact} ${"x".repeat(320)}` }, "at most 320"],
  ])("refuses a bad text with a clear error", (texts, expected) => {
    const result = smsReplyTextsSchema.safeParse(texts);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message).join("\n")).toContain(expected);
  });
});
