import { describe, expect, it } from "vitest";
import { API_SCOPES, apiKeyPrefixOf, isApiScope } from "./api-scopes";

describe("API scopes and key shape", () => {
  it("lists one scope per capability and access it offers", () => {
    expect(API_SCOPES).toEqual(["leads:read", "leads:write", "tags:read", "tags:write", "notes:write", "campaigns:read", "suppressions:write"]);
    expect(isApiScope("leads:read")).toBe(true);
    expect(isApiScope("campaigns:write")).toBe(false);
    expect(isApiScope("admin:read")).toBe(false);
  });

  it("reads the visible prefix of a well-formed key only", () => {
    const key = `lf_Ab3dEf7h_${"x".repeat(43)}`;
    expect(apiKeyPrefixOf(key)).toBe("lf_Ab3dEf7h");
    expect(apiKeyPrefixOf(`${key}x`)).toBeNull();
    expect(apiKeyPrefixOf(`lf_Ab3dEf7_${"x".repeat(43)}`)).toBeNull();
    expect(apiKeyPrefixOf(`sk_Ab3dEf7h_${"x".repeat(43)}`)).toBeNull();
    expect(apiKeyPrefixOf("")).toBeNull();
  });
});
