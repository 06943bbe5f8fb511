import { describe, expect, it } from "vitest";
import { splitMailingAddress } from "./mailing-address";

describe("splitMailingAddress", () => {
  it.each([
    ["PO BOX 5, Dallas, TX 75201", { street: "PO BOX 5", city: "Dallas", state: "TX", zip: "75201" }],
    ["123 Main St, Apt 4, Phoenix, az 85001-1234", { street: "123 Main St, Apt 4", city: "Phoenix", state: "AZ", zip: "85001-1234" }],
    ["77 Elm Rd, Austin, TX, 78701", { street: "77 Elm Rd", city: "Austin", state: "TX", zip: "78701" }],
    ["9 Oak Ln, Miami, FL", { street: "9 Oak Ln", city: "Miami", state: "FL", zip: "" }],
  ])("splits %s", (line, parts) => {
    expect(splitMailingAddress(line)).toEqual(parts);
  });

  it("keeps what it cannot read whole in the street column, and empty stays empty", () => {
    expect(splitMailingAddress("Somewhere over the rainbow")).toEqual({ street: "Somewhere over the rainbow", city: "", state: "", zip: "" });
    expect(splitMailingAddress("1 Rue de Rivoli, Paris, France")).toEqual({ street: "1 Rue de Rivoli, Paris, France", city: "", state: "", zip: "" });
    expect(splitMailingAddress(null)).toEqual({ street: "", city: "", state: "", zip: "" });
    expect(splitMailingAddress("  ")).toEqual({ street: "", city: "", state: "", zip: "" });
  });
});
