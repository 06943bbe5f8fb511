import "server-only";
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { env } from "./env";

/**
 * Secrets LeadFlow must read back (outbound webhook signing secrets), encrypted at rest with
 * AES-256-GCM under a key derived (HKDF-SHA256) from SECRETS_ENCRYPTION_KEY, or NEXTAUTH_SECRET
 * when that is unset. A sealed value is "sealed:v1:" + base64url(iv ‖ tag ‖ ciphertext); a
 * database dump alone reveals nothing, and a changed value fails to open instead of signing with
 * garbage. Changing the key makes sealed secrets unreadable: set SECRETS_ENCRYPTION_KEY once and
 * keep it (rotating NEXTAUTH_SECRET then no longer touches it).
 */
const PREFIX = "sealed:v1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;

let derived: { material: string; key: Buffer } | undefined;
function key(): Buffer {
  const material = env.SECRETS_ENCRYPTION_KEY ?? env.NEXTAUTH_SECRET;
  if (derived?.material !== material) derived = { material, key: Buffer.from(hkdfSync("sha256", material, "leadflow", "secret-box v1", 32)) };
  return derived.key;
}

export const isSealed = (stored: string) => stored.startsWith(PREFIX);

export function sealSecret(plain: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  const ciphertext = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64url");
}

/** The secret; a value stored before encryption at rest (not sealed) is returned as it is. Throws when a sealed value was altered or sealed under another key. */
export function openSecret(stored: string): string {
  if (!isSealed(stored)) return stored;
  const raw = Buffer.from(stored.slice(PREFIX.length), "base64url");
  const decipher = createDecipheriv("aes-256-gcm", key(), raw.subarray(0, IV_BYTES));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
}
