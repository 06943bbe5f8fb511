import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password";

describe("password hashing", () => {
  it("hashes with argon2id and never stores the password itself", async () => {
    const hash = await hashPassword("correct horse battery staple");
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(hash).not.toContain("correct horse battery staple");
  });

  it("salts every hash, so the same password hashes differently each time", async () => {
    const [first, second] = await Promise.all([hashPassword("same password 123"), hashPassword("same password 123")]);
    expect(first).not.toBe(second);
  });

  it("verifies the right password and rejects a wrong one", async () => {
    const hash = await hashPassword("correct horse battery staple");
    expect(await verifyPassword(hash, "correct horse battery staple")).toBe(true);
    expect(await verifyPassword(hash, "Correct horse battery staple")).toBe(false);
    expect(await verifyPassword(hash, "")).toBe(false);
  });

  it.each([
    ["an empty string", ""],
    ["garbage", "not-a-hash"],
    ["a truncated argon2 hash", "$argon2id$v=19$m=19456,t=2,p=1$abc"],
    ["a bcrypt hash", "$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"],
  ])("returns false instead of throwing for %s", async (_label, garbage) => {
    await expect(verifyPassword(garbage, "anything at all")).resolves.toBe(false);
  });
});
