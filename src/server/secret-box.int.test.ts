import { describe, expect, it } from "vitest";
import { env } from "./env";
import { isSealed, openSecret, sealSecret } from "./secret-box";

describe("secret box", () => {
  it("seals a secret so the stored value reveals nothing, opens it back, and differs every time", () => {
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const sealed = sealSecret(secret);
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain("MfKQ9r8G");
    expect(openSecret(sealed)).toBe(secret);
    expect(sealSecret(secret)).not.toBe(sealed);
  });

  it("refuses a value that was altered or sealed under another key, and passes a value stored before sealing through", () => {
    const sealed = sealSecret("whsec_abc");
    // One bit of the ciphertext flipped (in the bytes: a base64 character's spare bits would change nothing).
    const prefix = "sealed:v1:";
    const raw = Buffer.from(sealed.slice(prefix.length), "base64url");
    raw[raw.length - 1]! ^= 1;
    expect(() => openSecret(prefix + raw.toString("base64url"))).toThrow();
    const keyBefore = env.SECRETS_ENCRYPTION_KEY;
    try {
      env.SECRETS_ENCRYPTION_KEY = "another-key-another-key-another-key!";
      expect(() => openSecret(sealed)).toThrow();
    } finally {
      env.SECRETS_ENCRYPTION_KEY = keyBefore;
    }
    expect(openSecret(sealed)).toBe("whsec_abc");
    expect(openSecret("whsec_legacy")).toBe("whsec_legacy");
  });
});
