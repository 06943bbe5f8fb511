import { describe, expect, it } from "vitest";
import { smsErrorInfo, smsErrorMeaning, smsSendError, SmsSendError } from "./sms-sender";
import { NOT_BILLED, ProviderCallError } from "./billing";

describe("Twilio error meanings", () => {
  it.each([
    [21610, "suppress", true],
    [21211, "invalid", true],
    [21614, "landline", true],
    [21635, "landline", true],
    [30005, "invalid", true],
    [30006, "landline", true],
    [30007, "none", true],
    [30034, "none", true],
    [30003, "none", false],
    [20429, "retry_later", false],
    [30001, "retry_later", false],
    [21611, "retry_later", false],
  ] as const)("%i → %s (permanent: %s)", (code, effect, permanent) => {
    expect(smsErrorInfo(code)).toEqual({ code, permanent, effect });
  });

  it("falls back on the HTTP status for codes it does not know", () => {
    expect(smsErrorInfo(null, 429)).toEqual({ code: null, permanent: false, effect: "retry_later" });
    expect(smsErrorMeaning(null, 401).appCode).toBe("PROVIDER_MISCONFIGURED");
    expect(smsErrorInfo(20500, 500)).toEqual({ code: 20500, permanent: false, effect: "none" });
    expect(smsErrorInfo(21999, 400)).toEqual({ code: 21999, permanent: true, effect: "none" });
  });

  it("builds a ProviderCallError carrying the typed smsError in its details", () => {
    const error = smsSendError(21610, { httpStatus: 400, providerMessage: "Attempt to send to unsubscribed recipient", billing: NOT_BILLED });
    expect(error).toBeInstanceOf(SmsSendError);
    expect(error).toBeInstanceOf(ProviderCallError);
    expect(error.appCode).toBe("PRECONDITION_FAILED");
    expect(error.details).toMatchObject({
      smsError: { code: 21610, permanent: true, effect: "suppress" },
      billedUnits: 0,
      providerMessage: "Attempt to send to unsubscribed recipient",
    });
  });
});
