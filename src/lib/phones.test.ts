import { describe, expect, it } from "vitest";
import { isTextable, noBestPhoneReason, phoneBlockers, phoneFlagsText, type PhoneFacts } from "./phones";

const phone = (overrides: Partial<PhoneFacts> = {}): PhoneFacts => ({
  type: "mobile", dnc: false, tcpa: false, status: "ok", doNotCall: false, suppressed: false, onDncList: false, ...overrides,
});

describe("textable phones", () => {
  it("are mobile or unknown-type lines with nothing against them", () => {
    expect(isTextable(phone())).toBe(true);
    expect(isTextable(phone({ type: "unknown" }))).toBe(true);
    expect(isTextable(phone({ type: "voip" }))).toBe(false);
    expect(isTextable(phone({ type: "landline" }))).toBe(false);
    for (const blocked of [{ dnc: true }, { tcpa: true }, { status: "wrong_number" as const }, { status: "invalid" as const }, { status: "opted_out" as const },
      { doNotCall: true }, { suppressed: true }, { onDncList: true }]) {
      expect(isTextable(phone(blocked)), JSON.stringify(blocked)).toBe(false);
    }
  });

  it("name every reason, and the flags a spreadsheet shows", () => {
    expect(phoneBlockers(phone({ type: "voip", dnc: true, tcpa: true }))).toEqual(["voip", "dnc", "tcpa"]);
    expect(phoneFlagsText(phone({ dnc: true, tcpa: true, verified: true }))).toBe("dnc|tcpa|verified");
    expect(phoneFlagsText(phone({ type: "landline" }))).toBe("");
    // An opted-out number is suppressed too: said once.
    expect(phoneBlockers(phone({ status: "opted_out", suppressed: true }))).toEqual(["opted_out"]);
  });

  it("say why no phone qualifies as the best phone", () => {
    expect(noBestPhoneReason([])).toBe("No phone numbers");
    expect(noBestPhoneReason([phone(), phone({ dnc: true })])).toBeNull();
    expect(noBestPhoneReason([phone({ dnc: true }), phone({ tcpa: true }), phone({ type: "voip" })])).toBe("None of the 3 phones can take a text: 1 VoIP line, 1 DNC-flagged, 1 TCPA-flagged");
    expect(noBestPhoneReason([phone({ type: "landline" })])).toBe("The only phone cannot take a text: 1 landline");
    expect(noBestPhoneReason([phone({ status: "wrong_number" }), phone({ status: "wrong_number", dnc: true })])).toBe("None of the 2 phones can take a text: 2 wrong numbers");
  });
});
