// Whether the production build in .next/ was made from the sources as they are now, so
// `npm run dev` builds only on first start and after a change. The fingerprint hashes every file
// the build reads (tests excluded) and the build-time environment (public variables, Sentry's upload token).
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { ROOT } from "./postgres.mjs";

const SOURCE_DIRS = ["src", "public", "prisma"];
// The .env files are read by `next build` too (their NEXT_PUBLIC_ values are baked into the bundle).
const SOURCE_FILES = ["package.json", "package-lock.json", "next.config.mjs", "tailwind.config.ts", "postcss.config.mjs", "tsconfig.json", ".env", ".env.local", ".env.production", ".env.production.local"];
const RECORD = path.join(ROOT, ".next", "leadflow-build.json");
const isTest = (name) => /\.(test|spec)\.[cm]?[jt]sx?$/.test(name);

async function filesUnder(dir) {
  const entries = await readdir(path.join(ROOT, dir), { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && !isTest(entry.name))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)))
    .filter((file) => !file.startsWith(path.join("src", "generated")));
}

/** @param {Record<string, string>} env the environment the build runs with */
export async function sourceFingerprint(env) {
  const files = [...SOURCE_FILES.filter((file) => existsSync(path.join(ROOT, file)))];
  for (const dir of SOURCE_DIRS) files.push(...(await filesUnder(dir)));
  files.sort();
  const hash = createHash("sha256");
  for (const file of files) {
    hash.update(file).update("\0").update(await readFile(path.join(ROOT, file))).update("\0");
  }
  const publicEnv = Object.entries({ ...process.env, ...env })
    .filter(([name]) => name.startsWith("NEXT_PUBLIC_") || ["LEADFLOW_TYPECHECKED", "SENTRY_AUTH_TOKEN", "NODE_ENV"].includes(name))
    .sort(([a], [b]) => a.localeCompare(b));
  hash.update(JSON.stringify(publicEnv));
  return hash.digest("hex");
}

function currentBuildId() {
  const file = path.join(ROOT, ".next", "BUILD_ID");
  return existsSync(file) ? readFileSync(file, "utf8").trim() : null;
}

/** True when .next holds the build recorded for this fingerprint (and nothing rebuilt it since, e.g. `npm test`). */
export function buildIsCurrent(fingerprint) {
  if (!existsSync(RECORD)) return false;
  try {
    const record = JSON.parse(readFileSync(RECORD, "utf8"));
    return record.fingerprint === fingerprint && record.buildId !== null && record.buildId === currentBuildId();
  } catch {
    return false;
  }
}

export function recordBuild(fingerprint) {
  writeFileSync(RECORD, JSON.stringify({ fingerprint, buildId: currentBuildId(), builtAt: new Date().toISOString() }, null, 2));
}
