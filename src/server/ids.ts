import "server-only";
import { randomBytes } from "node:crypto";

let idCounter = 0;

/**
 * A cuid-shaped id (as Prisma's @default(cuid()) makes) for rows inserted by SQL: "c", time,
 * counter, randomness — 25 characters, sortable by creation within a process.
 * (leads/import/run.ts and messaging/webhooks.ts still carry copies of this; they can use this one.)
 */
export function newId(): string {
  idCounter = (idCounter + 1) % 1_679_616;
  const random = BigInt(`0x${randomBytes(8).toString("hex")}`).toString(36).padStart(13, "0").slice(-12);
  return `c${Date.now().toString(36).padStart(8, "0")}${idCounter.toString(36).padStart(4, "0")}${random}`;
}
