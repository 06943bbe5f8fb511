import { describe, expect, it, vi } from "vitest";
import { createSandboxPhoneLookup } from "./phone-lookup";
import { sandboxLineOf } from "./skip-trace";

const sandboxLookup = createSandboxPhoneLookup();
const sandbox = { name: sandboxLookup.name, lookup: async (e164: string) => (await sandboxLookup.lookup(e164)).value };
const numbers = Array.from(
  { length: 100 },
  (_, i) => `+1512555${String(100 + i).padStart(4, "0")}`,
);
const lookUpAll = () => Promise.all(numbers.map((number) => sandbox.lookup(number)));

describe("sandbox phone lookup", () => {
  it("is deterministic by number, even from a fresh module", async () => {
    const first = await lookUpAll();
    vi.resetModules();
    const fresh = (await import("./phone-lookup")).createSandboxPhoneLookup();
    const again = await Promise.all(numbers.map(async (number) => (await fresh.lookup(number)).value));

    expect(sandbox.name).toBe("sandbox");
    expect(again).toEqual(first);
    expect(new Set(first.map((result) => result.lineType))).toEqual(
      new Set(["mobile", "landline", "voip"]),
    );
    expect(first.every((result) => result.valid && result.carrier !== null)).toBe(true);
    expect(first.map((result) => result.number)).toEqual(numbers);
  });

  it("mostly agrees with the sandbox skip trace's line type, and sometimes corrects it", async () => {
    const results = await lookUpAll();
    const agreeing = results.filter(
      (result) => result.lineType === sandboxLineOf(result.number).type,
    ).length;

    expect(agreeing).toBeGreaterThanOrEqual(80);
    expect(agreeing).toBeLessThan(100);
  });

  it("refuses a number that is not E.164", async () => {
    await expect(sandbox.lookup("5125550100")).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
