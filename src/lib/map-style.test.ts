import { describe, expect, it } from "vitest";
import { searchedCircle } from "./map-style";

describe("searchedCircle", () => {
  it("rounds a circle as the search runs it: the point to ~1 m, the radius to 0.1 mile (2.54 and 2.45 are both the 2.5-mile search)", () => {
    expect(searchedCircle({ latitude: 39.7392358, longitude: -104.990251, miles: 2.54 })).toEqual({ latitude: 39.73924, longitude: -104.99025, miles: 2.5 });
    expect(searchedCircle({ latitude: 39.7392358, longitude: -104.990251, miles: 2.45 }).miles).toBe(2.5);
  });
});
