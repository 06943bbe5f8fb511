// `npm test`: every layer on a fresh clone. Unit and integration tests (Vitest, real Postgres),
// then the built app end to end in Chromium (Playwright). Postgres: TEST_DATABASE_URL, else a
// local server (started if installed and down), else an embedded PGlite.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import {
  findPostgresServer,
  freePort,
  migrate,
  ROOT,
  run,
  startEmbeddedPostgres,
} from "./postgres.mjs";
import { installedChromium } from "./chromium.mjs";
import { createEndToEndDatabase } from "./e2e-database.mjs";

const REPORTS = path.join(ROOT, "test-results");
// e.g. `npm test -- e2e`, `npm test -- vitest`, or `npm test -- e2e e2e/texting.spec.ts` (only those specs)
const args = process.argv.slice(2);
const specs = args.filter((arg) => arg.endsWith(".spec.ts"));
const only = args.filter((arg) => !specs.includes(arg));
const wants = (layer) => only.length === 0 || only.includes(layer);
const started = Date.now();
const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];
const timings = [];
// Named again at the very end: a CI log is often read from its tail only.
const failures = [];
/** The spec files with a failed end-to-end test (as Playwright's report names them, under e2e/). */
const failedSpecs = new Set();
const firstLine = (text) =>
  String(text ?? "").replace(/\u001b\[[0-9;]*m/g, "").split("\n").find((line) => line.trim()) ?? "";
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(0)} s`;

function tally(label, { passed, failed, skipped }) {
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  lines.push(`${label}: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
}

/** The browser Playwright drives (scripts/chromium.mjs), installed with apt-get when none is there and we are root. */
function findChromium() {
  const found = installedChromium();
  if (found) return found;
  const isRoot = process.getuid?.() === 0;
  if (isRoot && existsSync("/usr/bin/apt-get")) {
    console.log("Chromium not found: installing Debian's chromium-headless-shell package (apt-get)…");
    execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
    execFileSync("apt-get", ["install", "-y", "-qq", "chromium-headless-shell"], { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    if (existsSync("/usr/bin/chromium-headless-shell")) return "/usr/bin/chromium-headless-shell";
  }
  throw new Error("Chromium is needed for the end-to-end tests: install it (Debian: apt-get install -y chromium-headless-shell) or set CHROMIUM_PATH.");
}

mkdirSync(REPORTS, { recursive: true });
await run("prisma", ["generate"], { quiet: true });

let exitCode = 0;

async function runVitest() {
  const report = path.join(REPORTS, "vitest.json");
  rmSync(report, { force: true });
  const started = Date.now();
  try {
    await run("vitest", ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`]);
  } catch {
    exitCode = 1;
  }
  timings.push(`vitest ${seconds(started)}`);
  if (existsSync(report)) {
    const result = JSON.parse(readFileSync(report, "utf8"));
    for (const file of result.testResults ?? []) {
      const relative = path.relative(ROOT, file.name);
      const failed = (file.assertionResults ?? []).filter((test) => test.status === "failed");
      for (const test of failed) failures.push(`vitest ${relative} › ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`);
      if (failed.length === 0 && file.status === "failed") failures.push(`vitest ${relative}: ${firstLine(file.message)}`);
    }
    tally("unit + integration (vitest)", {
      passed: result.numPassedTests,
      failed: result.numFailedTests,
      skipped: result.numPendingTests + result.numTodoTests,
    });
  } else {
    exitCode = 1;
    lines.push("unit + integration (vitest): no report written");
  }
}

/**
 * This run's end-to-end database (a name of its own, so runs side by side on one server don't
 * collide); dropped when the run ends, passed or failed, or on Ctrl-C / SIGTERM.
 */
let endToEndDatabase = null;

/** The end-to-end database, seeded, and the production build; the environment Playwright runs with. */
async function prepareEndToEnd() {
  const chromium = findChromium();
  const serverUrl = await findPostgresServer({ explicitUrl: process.env.TEST_DATABASE_URL });
  let embedded = null;
  let databaseUrl;
  if (serverUrl) {
    endToEndDatabase = await createEndToEndDatabase(serverUrl);
    databaseUrl = endToEndDatabase.url;
  } else {
    embedded = await startEmbeddedPostgres({ maxConnections: 10 });
    databaseUrl = embedded.url;
  }
  await migrate(databaseUrl);
  const port = await freePort();
  const env = {
    DATABASE_URL: databaseUrl,
    // One connection per process on the embedded PGlite (see scripts/dev.mjs).
    DATABASE_POOL_MAX: embedded ? "1" : "8",
    DATABASE_PREPARED_STATEMENTS: embedded ? "0" : "1",
    NEXTAUTH_SECRET: "e2e-secret-not-for-production-use",
    NEXTAUTH_URL: `http://127.0.0.1:${port}`,
    PORT: String(port),
    CHROMIUM_PATH: chromium,
    NEXT_TELEMETRY_DISABLED: "1",
    // The password-reset spec reads its email at /outbox, as a newcomer does under npm run dev.
    LEADFLOW_DEV_OUTBOX: "1",
    // The webhooks spec serves its receiving endpoint on this machine.
    WEBHOOKS_ALLOW_PRIVATE_ADDRESSES: "1",
    // The map never reaches the internet in tests: its style lives on a local port nothing listens
    // on (the map falls back to a plain background); e2e/map.spec.ts serves it there when it wants one.
    NEXT_PUBLIC_MAP_STYLE_URL: "http://127.0.0.1:9/e2e-map-style.json",
  };
  console.log("Building the app for end-to-end tests…");
  const started = Date.now();
  // The demo organization stays empty for the specs; its history goes to a second one (prisma/seed.ts).
  const seeded = run("tsx", ["--conditions=react-server", "prisma/seed.ts"], { env: { ...env, LEADFLOW_DEMO_HISTORY: "separate" }, quiet: true }).then(() =>
    timings.push(`seed ${seconds(started)}`),
  );
  try {
    await Promise.all([seeded, run("next", ["build"], { env, quiet: true }).then(() => timings.push(`next build ${seconds(started)}`))]);
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  return { env, embedded };
}

/**
 * The specs on 2 workers (the org-settings project keeps to one of them), then the HTTP fuzz on
 * its own, after them: it may sign the demo admin out everywhere (see playwright.config.ts). The
 * fuzz shares its tests out between 2 workers, each signed in as an admin of its own.
 */
const isFuzz = (spec) => /(^|\/)zz-fuzz\.spec\.ts$/.test(spec);
const PLAYWRIGHT_PHASES = [
  { projects: ["org-settings", "chromium"], workers: "2", runs: (spec) => !isFuzz(spec) },
  { projects: ["fuzz"], workers: "2", runs: isFuzz },
].filter((phase) => specs.length === 0 || specs.some(phase.runs));

function collectPlaywrightFailures(suites, titles = []) {
  for (const suite of suites) {
    const titlePath = suite.title ? [...titles, suite.title] : titles;
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== "unexpected" && test.status !== "flaky") continue;
        const error = test.results?.find((result) => result.error)?.error?.message;
        failures.push(`playwright [${test.projectName}] ${[...titlePath, spec.title].join(" › ")} (${test.status}): ${firstLine(error)}`);
        failedSpecs.add(spec.file);
      }
    }
    collectPlaywrightFailures(suite.suites ?? [], titlePath);
  }
}

async function runPlaywright({ env, embedded }) {
  const stats = { passed: 0, failed: 0, skipped: 0 };
  const started = Date.now();
  for (const [index, phase] of PLAYWRIGHT_PHASES.entries()) {
    const report = path.join(REPORTS, index === 0 ? "playwright.json" : `playwright-${phase.projects.join("-")}.json`);
    rmSync(report, { force: true });
    const projects = phase.projects.map((project) => `--project=${project}`);
    // Each phase keeps its traces and screenshots in a folder of its own: Playwright empties its
    // output folder when it starts, and a later phase must not delete an earlier one's.
    const output = path.join(REPORTS, `e2e-${phase.projects[0]}`);
    try {
      await run("playwright", ["test", ...projects, `--output=${output}`, "--pass-with-no-tests", ...specs], {
        env: { ...env, E2E_WORKERS: phase.workers, PLAYWRIGHT_JSON_OUTPUT_NAME: report },
      });
    } catch {
      exitCode = 1;
    }
    if (existsSync(report)) {
      const json = JSON.parse(readFileSync(report, "utf8"));
      collectPlaywrightFailures(json.suites ?? []);
      const result = json.stats;
      stats.passed += result.expected;
      stats.failed += result.unexpected + result.flaky;
      stats.skipped += result.skipped;
    } else {
      exitCode = 1;
      lines.push(`end-to-end (playwright ${phase.projects.join(", ")}): no report written`);
    }
  }
  timings.push(`playwright ${seconds(started)}`);
  tally("end-to-end (playwright)", stats);
  await embedded?.stop();
}

// The end-to-end preparation (database, seed, `next build`) runs while Vitest does: Vitest leaves
// much of 2 cores idle while its integration files wait on Postgres and job polls, and the build
// fills it. Playwright starts once both are done, so the browser tests never share the CPU with them.
const preparing = wants("e2e") ? prepareEndToEnd() : null;
preparing?.catch(() => {}); // awaited below, after Vitest
try {
  if (wants("vitest")) await runVitest();
  if (preparing) {
    const prepared = await preparing.catch((error) => {
      console.error(error.message);
      exitCode = 1;
      lines.push("end-to-end (playwright): not run, the preparation failed");
      return null;
    });
    if (prepared) await runPlaywright(prepared);
  }
} finally {
  // After a failed preparation too (the database may exist by then); awaited so a preparation
  // still creating it cannot leave it behind.
  await preparing?.catch(() => {});
  await endToEndDatabase?.drop();
}

if (failures.length > 0) console.log(`\nfailed:\n${failures.map((failure) => `  ${failure.slice(0, 400)}`).join("\n")}`);
if (failedSpecs.size > 0 && process.env.E2E_TRACE !== "1") {
  console.log(`\nTo keep the failed end-to-end tests' traces: E2E_TRACE=1 npm test -- e2e ${[...failedSpecs].map((spec) => `e2e/${spec}`).join(" ")}`);
}
console.log(`\n${lines.join("\n")}\ntotal time ${seconds(started)} (${timings.join(", ")})`);
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ""}`);
if (totals.failed > 0 || totals.passed === 0) exitCode = 1;
process.exit(exitCode);
