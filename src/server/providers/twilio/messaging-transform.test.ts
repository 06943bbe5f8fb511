import { describe, expect, it } from "vitest";
import { parseTwilioErrorBody, parseTwilioMessage, toSmsSendResult, toSmsStatus } from "./messaging-transform";

const SID = `SM${"d".repeat(32)}`;

describe("Messages API transform", () => {
  it("reads Twilio's string counts and keeps the JSON as sent", () => {
    const text = JSON.stringify({ sid: SID, status: "queued", to: "+15125550142", from: "+15125550100", num_segments: "3", extra: 1 });
    const parsed = parseTwilioMessage(text);
    expect(parsed).not.toBeNull();
    expect(toSmsSendResult(parsed!.message, 1, parsed!.json)).toEqual({
      providerMessageId: SID,
      status: "queued",
      segments: 3,
      to: "+15125550142",
      from: "+15125550100",
      messagingServiceSid: null,
      raw: JSON.parse(text),
    });
  });

  it.each([[null], ["0"], ["many"], [undefined]])("uses the estimate when num_segments is %s", (numSegments) => {
    const parsed = parseTwilioMessage(JSON.stringify({ sid: SID, status: "accepted", to: "+15125550142", num_segments: numSegments }));
    expect(toSmsSendResult(parsed!.message, 2).segments).toBe(2);
  });

  it("is not a message without a SID, or when the body is not JSON", () => {
    expect(parseTwilioMessage(JSON.stringify({ status: "queued", to: "+15125550142" }))).toBeNull();
    expect(parseTwilioMessage('{"sid": ')).toBeNull();
  });

  it("keeps known statuses and reads an unknown one as not yet sent", () => {
    expect(toSmsStatus("accepted")).toBe("accepted");
    expect(toSmsStatus("partially_delivered")).toBe("partially_delivered");
    expect(toSmsStatus("something_new")).toBe("queued");
  });

  it("reads Twilio's error body, with the code as a number or a string", () => {
    expect(parseTwilioErrorBody(JSON.stringify({ code: 21610, message: "Attempt to send to unsubscribed recipient", more_info: "https://www.twilio.com/docs/errors/21610", status: 400 }))).toMatchObject({
      code: 21610,
      status: 400,
      message: "Attempt to send to unsubscribed recipient",
    });
    expect(parseTwilioErrorBody('{"code":"21211","message":"Invalid"}')?.code).toBe(21211);
    expect(parseTwilioErrorBody("<html>502</html>")).toBeNull();
  });
});
