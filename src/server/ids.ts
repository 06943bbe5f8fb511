import "server-only";
import { randomFillSync } from "node:crypto";

let idCounter = 0;

/** Randomness drawn 4 KB at a time: one system call per 512 ids instead of one per id (the inbound webhook makes six a message). */
const randomPool = Buffer.alloc(4096);
let randomOffset = randomPool.length;
function random64(): bigint {
  if (randomOffset === randomPool.length) {
    randomFillSync(randomPool);
    randomOffset = 0;
  }
  const value = randomPool.readBigUInt64BE(randomOffset);
  randomOffset += 8;
  return value;
}

/**
 * A cuid-shaped id (as Prisma's @default(cuid()) makes) for rows inserted by SQL: "c", time,
 * counter, randomness — 25 characters, sortable by creation within a process.
 */
export function newId(): string {
  idCounter = (idCounter + 1) % 1_679_616;
  const random = random64().toString(36).padStart(13, "0").slice(-12);
  return `c${Date.now().toString(36).padStart(8, "0")}${idCounter.toString(36).padStart(4, "0")}${random}`;
}
