// `npm run dev`: the whole app with no setup. Without DATABASE_URL an embedded PGlite under
// .data/ serves as Postgres; migrations are applied, the demo organization is seeded and its
// login printed; providers run in sandbox mode and SMS is simulated. A job worker (scripts/worker.ts:
// CSV imports and other background jobs) runs next to Next.js with the same environment.
//
// By default it serves a production build, so every page opens fast on first visit: the build is
// made on first start and reused while the sources it was made from are unchanged (see
// build-fingerprint.mjs). `npm run dev -- --watch` runs `next dev` instead, for editing with hot reload.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildIsCurrent, recordBuild, sourceFingerprint } from "./build-fingerprint.mjs";
import { NEXT_START_OPTIONS } from "./next-start.mjs";
import { migrate, ROOT, run, startEmbeddedPostgres } from "./postgres.mjs";

const DATA_DIR = path.join(ROOT, ".data");
const port = Number(process.env.PORT ?? 3000);
const watch = process.argv.includes("--watch");
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

function persistentSecret() {
  const file = path.join(DATA_DIR, "nextauth-secret");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

const started = Date.now();
mkdirSync(DATA_DIR, { recursive: true });
let embedded = null;
let databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  embedded = await startEmbeddedPostgres({ dataDir: path.join(DATA_DIR, "pglite"), maxConnections: 10 });
  databaseUrl = embedded.url;
  console.log(`Embedded Postgres (PGlite) data in .data/pglite, serving ${databaseUrl}`);
}

const env = {
  DATABASE_URL: databaseUrl,
  // PGlite answers one query at a time and its socket server can interleave the messages of
  // concurrent connections, so each process keeps one connection to it (a real Postgres gets 10).
  DATABASE_POOL_MAX: process.env.DATABASE_POOL_MAX ?? (embedded ? "1" : "10"),
  // ...and all of them share one session there, so named prepared statements of the app and the worker collide.
  DATABASE_PREPARED_STATEMENTS: embedded ? "0" : (process.env.DATABASE_PREPARED_STATEMENTS ?? "1"),
  NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? persistentSecret(),
  NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port}`,
  PORT: String(port),
  NEXT_TELEMETRY_DISABLED: process.env.NEXT_TELEMETRY_DISABLED ?? "1",
  // On the embedded database without SMTP_URL, invites and password resets are readable at
  // /outbox, from this machine only (never outside npm run dev).
  LEADFLOW_DEV_OUTBOX: !process.env.SMTP_URL && embedded ? "1" : "0",
  // Webhook receivers on this machine or the LAN are what a developer tries first.
  WEBHOOKS_ALLOW_PRIVATE_ADDRESSES: process.env.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES ?? "1",
};

await run("prisma", ["generate"], { env, quiet: true });

/** The production build, made only when the sources changed since the last one; runs beside the seed. */
async function ensureBuild() {
  const fingerprint = await sourceFingerprint(env);
  if (buildIsCurrent(fingerprint)) {
    console.log("Reusing the production build: no source changed since it was made.");
    return;
  }
  console.log("Building the app (first start, or the sources changed). This takes a few minutes on 2 cores; later starts reuse it…");
  const buildStarted = Date.now();
  await run("next", ["build"], { env });
  recordBuild(fingerprint);
  console.log(`Build done in ${seconds(buildStarted)}.`);
}

async function prepareDatabase() {
  await migrate(databaseUrl);
  return run("tsx", ["--conditions=react-server", "prisma/seed.ts"], { env, quiet: true });
}

const [seedOutput] = await Promise.all([prepareDatabase(), watch ? Promise.resolve() : ensureBuild()]);

const app = spawn(path.join(ROOT, "node_modules/.bin/next"), watch ? ["dev", "-p", String(port)] : ["start", "-p", String(port), ...NEXT_START_OPTIONS], {
  cwd: ROOT,
  env: { ...process.env, ...env },
  stdio: "inherit",
});
const worker = spawn(path.join(ROOT, "node_modules/.bin/tsx"), ["--conditions=react-server", "scripts/worker.ts"], {
  cwd: ROOT,
  env: { ...process.env, ...env, DATABASE_POOL_MAX: embedded ? "1" : env.DATABASE_POOL_MAX },
  stdio: "inherit",
});

let stopping = false;
const exited = (child) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", resolve)));
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  app.kill("SIGTERM");
  worker.kill("SIGTERM");
  // the worker finishes its current import batch first; give it (and Next.js) time before the database goes
  await Promise.race([Promise.all([exited(app), exited(worker)]), new Promise((resolve) => setTimeout(resolve, 25_000))]);
  await embedded?.stop().catch(() => {});
  process.exit(code);
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));
app.on("exit", (code) => stop(code ?? 0));
worker.on("exit", (code, signal) => {
  if (!stopping) console.error(`The job worker exited (${signal ?? `code ${code}`}); CSV imports will wait until it runs again (npm run worker).`);
});

/** Ready means the app answers its health check, not just that Next.js printed its banner. */
async function waitUntilServing() {
  const url = `http://127.0.0.1:${port}/api/health`;
  while (!stopping) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (response.status < 500) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

if (await waitUntilServing()) {
  process.stdout.write(seedOutput);
  console.log(`LeadFlow is ready on ${env.NEXTAUTH_URL} (${seconds(started)} after start${watch ? "; --watch: pages compile on first visit" : ""}).`);
}
