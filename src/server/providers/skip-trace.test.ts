import { describe, expect, it } from "vitest";
import {
  chooseBestPhone,
  SKIP_TRACE_BATCH_SIZE,
  skipTraceAddressProblem,
  skipTraceBatchProblem,
  skipTraceRequestSchema,
  type SkipTracePhone,
  type SkipTraceRequest,
} from "./skip-trace";

let nextLine = 100;
function phone(fields: Partial<SkipTracePhone> = {}): SkipTracePhone {
  return {
    number: `+1512555${String(nextLine++).padStart(4, "0")}`,
    type: "mobile",
    carrier: null,
    dnc: false,
    tcpa: false,
    score: null,
    reachable: null,
    ...fields,
  };
}

describe("chooseBestPhone", () => {
  it("picks the highest-scoring mobile and says what it skipped", () => {
    const best = phone({ score: 80 });
    const choice = chooseBestPhone([
      phone({ type: "landline", score: 99 }),
      phone({ score: 40 }),
      best,
      phone({ score: 95, dnc: true }),
      phone({ score: 97, tcpa: true }),
      phone({ type: "voip", score: 90 }),
    ]);

    expect(choice.phone).toBe(best);
    expect(choice.reason).toBe(
      "Highest score (80) of 2 eligible mobiles; skipped 1 mobile on the DNC list, 1 TCPA-flagged mobile, 1 landline and 1 VoIP line",
    );
  });

  it("never picks a DNC or TCPA-flagged mobile, however high its score", () => {
    const eligible = phone({ score: 10 });
    const choice = chooseBestPhone([
      phone({ score: 100, dnc: true }),
      phone({ score: 100, tcpa: true }),
      phone({ score: 100, dnc: true, tcpa: true }),
      eligible,
    ]);

    expect(choice.phone).toBe(eligible);
    expect(choice.reason).toBe(
      "The only eligible mobile (score 10); skipped 2 mobiles on the DNC list and 1 TCPA-flagged mobile",
    );
  });

  it("breaks a score tie in favour of the line known to be reachable", () => {
    const reachable = phone({ score: 90, reachable: true });
    const choice = chooseBestPhone([
      phone({ score: 90, reachable: false }),
      phone({ score: 90, reachable: null }),
      reachable,
    ]);

    expect(choice.phone).toBe(reachable);
    expect(choice.reason).toBe(
      "Highest score (90) of 3 eligible mobiles; tie broken by reachability",
    );
  });

  it("takes the first listed when score and reachability tie", () => {
    const first = phone({ score: 70, reachable: true });
    const choice = chooseBestPhone([
      phone({ score: 20 }),
      first,
      phone({ score: 70, reachable: true }),
    ]);

    expect(choice.phone).toBe(first);
    expect(choice.reason).toBe("Highest score (70) of 3 eligible mobiles; first listed of a tie");
  });

  it("prefers any score to none, and the first listed when no mobile has a score", () => {
    const scored = phone({ score: 1 });
    expect(chooseBestPhone([phone(), scored]).phone).toBe(scored);

    const first = phone();
    const choice = chooseBestPhone([first, phone(), phone({ reachable: false })]);
    expect(choice.phone).toBe(first);
    expect(choice.reason).toBe(
      "None of the 3 eligible mobiles has a score; picked the first listed",
    );
  });

  it.each([
    [[], "No phone numbers were found"],
    [[phone({ type: "landline" })], "The only phone is a landline, not a mobile"],
    [
      [phone({ type: "landline" }), phone({ type: "landline", score: 99 })],
      "All phones are landlines",
    ],
    [[phone({ type: "voip" }), phone({ type: "voip" })], "All phones are VoIP lines"],
    [
      [
        phone({ type: "landline" }),
        phone({ type: "landline" }),
        phone({ type: "voip" }),
        phone({ type: "unknown" }),
      ],
      "None of the 4 phones is a mobile (2 landlines, 1 VoIP line and 1 phone of unknown line type)",
    ],
    [[phone({ dnc: true })], "The only mobile is on the DNC list"],
    [
      [phone({ dnc: true, score: 90 }), phone({ dnc: true }), phone({ type: "landline" })],
      "Every mobile is on the DNC list",
    ],
    [[phone({ tcpa: true }), phone({ tcpa: true })], "Every mobile is TCPA-flagged"],
    [
      [phone({ dnc: true }), phone({ tcpa: true }), phone({ tcpa: true })],
      "Every mobile is on the DNC list or TCPA-flagged (1 DNC, 2 TCPA)",
    ],
  ] as const)("returns no phone when none qualifies: %#", (phones, reason) => {
    expect(chooseBestPhone(phones)).toEqual({ phone: null, reason });
  });
});

describe("skipTraceAddressProblem", () => {
  it.each([
    [{ street: "1 Main St", city: "Austin", state: "TX", zip: "78702" }, null],
    [{ street: "1 Main St", zip: "78702" }, null],
    [{ street: "1 Main St", city: "Austin", state: "TX" }, null],
    [
      { street: "1 Main St", city: "Austin" },
      "The address needs a ZIP code, or a city and state, to be skip traced",
    ],
    [{ street: "  ", zip: "78702" }, "The address has no street line, so it cannot be skip traced"],
  ])("%o → %s", (address, problem) => {
    expect(skipTraceAddressProblem(address)).toBe(problem);
  });
});

describe("skipTraceBatchProblem", () => {
  const request = (requestId: string): SkipTraceRequest =>
    skipTraceRequestSchema.parse({ requestId, address: { street: "1 Main St", zip: "78702" } });

  it("accepts up to the batch size with distinct ids", () => {
    const requests = Array.from({ length: SKIP_TRACE_BATCH_SIZE }, (_, i) => request(`r${i}`));
    expect(skipTraceBatchProblem(requests)).toBeNull();
  });

  it("refuses more than the batch size, and duplicate requestIds", () => {
    const tooMany = Array.from({ length: SKIP_TRACE_BATCH_SIZE + 1 }, (_, i) => request(`r${i}`));
    expect(skipTraceBatchProblem(tooMany)).toBe(
      `Skip trace at most ${SKIP_TRACE_BATCH_SIZE} records per call (got ${SKIP_TRACE_BATCH_SIZE + 1})`,
    );
    expect(skipTraceBatchProblem([request("a"), request("b"), request("a")])).toBe(
      'Two skip-trace requests share the requestId "a"',
    );
  });
});
