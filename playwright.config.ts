import { defineConfig, devices } from "@playwright/test";
import { CHROMIUM_ARGS, installedChromium } from "./scripts/chromium.mjs";
import { NEXT_START_OPTIONS } from "./scripts/next-start.mjs";

// Run through `npm test` (scripts/test.mjs), which prepares the database, builds the app and
// sets these variables.
const port = Number(process.env.PORT ?? 3100);
const baseURL = process.env.NEXTAUTH_URL ?? `http://127.0.0.1:${port}`;

/**
 * `npm test` runs two spec files at a time, against the one demo organization. Specs that change
 * (even for a moment) or depend on its organization-wide settings — texting replies and rules, budgets and kill switches,
 * registry extracts, compliance rules, the recorded-consent requirement — and specs that send
 * texts (a send is decided by all of those) go here: this project runs its files one at a time,
 * beside the other specs. A new spec that does either must be added.
 */
const ORG_SETTINGS = /\/(texting|texting-settings|twilio-webhooks|dnc|compliance-rules|consent|campaigns-ui|inbox|ai-budget)\.spec\.ts$/;
/**
 * The HTTP fuzz: it may sign the demo admin (and, on a second worker, the history admin) out
 * everywhere, so `npm test` runs it on its own, after the rest, on 2 workers.
 */
const FUZZ = /\/zz-fuzz\.spec\.ts$/;

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  // `npm test` runs the specs on 2 workers (E2E_WORKERS), then the fuzz on its own (2 workers
  // too); a bare `playwright test` keeps to one worker, so the fuzz still comes last.
  workers: Number(process.env.E2E_WORKERS ?? 1),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [["list"], ["json"]] : [["list"]],
  use: {
    baseURL,
    // A failed test keeps a screenshot; its trace (DOM snapshots, network, console) only with
    // E2E_TRACE=1. A trace is recorded for every test and thrown away when it passes: that cost 12 %
    // of the run (4 specs on 2 workers, 2 cores: 205 s against 180 s; Chromium 210 CPU-s against 180,
    // the runner 41 against 27), and CI keeps no files of a run, only its log. The screencast is
    // left out even then (it cost another tenth of Chromium's CPU).
    trace: process.env.E2E_TRACE === "1" ? { mode: "retain-on-failure", screenshots: false } : "off",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: installedChromium(),
      args: CHROMIUM_ARGS,
    },
  },
  // org-settings comes first: Playwright hands a free worker the first file in its queue that may
  // run, in project order. Listed after chromium, its files waited until every chromium file had
  // started and then ran one by one with the other worker idle (about 150 s of a 457 s run); listed
  // first, one worker works through them from the start while the other takes chromium files.
  projects: [
    { name: "org-settings", testMatch: ORG_SETTINGS, workers: 1, use: { ...devices["Desktop Chrome"], channel: undefined } },
    { name: "chromium", testIgnore: [ORG_SETTINGS, FUZZ], use: { ...devices["Desktop Chrome"], channel: undefined } },
    { name: "fuzz", testMatch: FUZZ, use: { ...devices["Desktop Chrome"], channel: undefined } },
  ],
  webServer: [
    {
      name: "app",
      command: `node_modules/.bin/next start -p ${port} -H 127.0.0.1 ${NEXT_START_OPTIONS.join(" ")}`,
      url: `${baseURL}/api/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      // The job worker (CSV imports), as `npm run dev` runs it next to Next.js. It has no port:
      // ready once it logs that it is waiting for jobs. SIGTERM lets it leave the queue cleanly;
      // Playwright sends it to the whole process group (tsx and its node child) at the end.
      name: "worker",
      command: "node_modules/.bin/tsx --conditions=react-server scripts/worker.ts",
      wait: { stdout: /worker started/ },
      env: { DATABASE_POOL_MAX: process.env.DATABASE_POOL_MAX === "1" ? "1" : "2", LOG_LEVEL: "info" },
      gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "ignore",
      stderr: "pipe",
    },
  ],
});
