import { describe, expect, it } from "vitest";
import { stateOfZip, zip3sOfState } from "./us-zip3";

describe("us-zip3", () => {
  it("finds a ZIP's state from its prefix", () => {
    expect(stateOfZip("78701")).toBe("TX");
    expect(stateOfZip("10001")).toBe("NY");
    expect(stateOfZip("00501")).toBe("NY");
    expect(stateOfZip("96813")).toBe("HI");
  });

  it("never answers with a territory that borrows another's prefixes, and rejects non-ZIPs", () => {
    expect(stateOfZip("96799")).toBe("HI");
    expect(stateOfZip("96950")).toBe("GU");
    expect(stateOfZip("abc")).toBeNull();
  });

  it("lists a state's prefixes", () => {
    expect(zip3sOfState("TX")).toEqual(expect.arrayContaining([733, 750, 799, 885]));
    expect(zip3sOfState("ZZ")).toEqual([]);
  });
});
