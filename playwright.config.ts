import { defineConfig, devices } from "@playwright/test";

// Run through `npm test` (scripts/test.mjs), which prepares the database, builds the app and
// sets these variables.
const port = Number(process.env.PORT ?? 3100);
const baseURL = process.env.NEXTAUTH_URL ?? `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [["list"], ["json"]] : [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: [
    {
      name: "app",
      command: `node_modules/.bin/next start -p ${port} -H 127.0.0.1`,
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
