// The newcomer's first start, measured: a fresh clone, `npm ci`, then the README's run command
// (`npm run dev`, embedded Postgres) timed to "ready"; then, in Chromium, the demo sign-in and every
// signed-in page's first load. Run it twice with --reuse to see a second start that reuses the build.
//
//   node scripts/bench-first-start.mjs [--dir /tmp/leadflow-first-start] [--reuse]
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS, installedChromium } from "./chromium.mjs";
import { freePort, ROOT } from "./postgres.mjs";

const arg = (name) => {
  const index = process.argv.indexOf(name);
  return index > 0 ? process.argv[index + 1] : undefined;
};
const dir = arg("--dir") ?? "/tmp/leadflow-first-start";
const reuse = process.argv.includes("--reuse");
const ms = (since) => Math.round(performance.now() - since);

if (!reuse || !existsSync(dir)) {
  rmSync(dir, { recursive: true, force: true });
  execFileSync("git", ["clone", "-q", ROOT, dir]);
  // the clone needs ../shared beside it as the original has
  const shared = path.join(path.dirname(dir), "shared");
  if (!existsSync(shared) && existsSync(path.join(ROOT, "..", "shared"))) execFileSync("ln", ["-sfn", path.join(ROOT, "..", "shared"), shared]);
  const installStarted = performance.now();
  execFileSync("npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: dir, stdio: "ignore" });
  console.log(`npm ci: ${ms(installStarted)} ms`);
}

const port = await freePort();
const started = performance.now();
// as a newcomer has it: no DATABASE_URL (so the embedded Postgres), no NEXTAUTH_URL
const { DATABASE_URL: _database, NEXTAUTH_URL: _url, ...newcomerEnv } = process.env;
const dev = spawn("npm", ["run", "dev"], {
  cwd: dir,
  env: { ...newcomerEnv, PORT: String(port) },
  stdio: ["ignore", "pipe", "pipe"],
  detached: true,
});
let log = "";
const ready = await new Promise((resolve, reject) => {
  const onData = (chunk) => {
    log += chunk;
    if (/LeadFlow is ready on/.test(log)) resolve(ms(started));
  };
  dev.stdout.on("data", onData);
  dev.stderr.on("data", (chunk) => (log += chunk));
  dev.on("exit", (code) => reject(new Error(`npm run dev exited with ${code}\n${log}`)));
});
const built = /Reusing the production build/.test(log) ? "reused" : "built";
console.log(`run command → ready: ${ready} ms (build ${built})`);
const history = /Demo history:.*$/m.exec(log);
if (history) console.log(history[0].trim());

function signedInPages() {
  const root = path.join(dir, "src", "app", "(app)");
  return readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((file) => path.basename(file) === "page.tsx")
    .map((file) => `/${path.dirname(file).split(path.sep).filter((s) => s !== "." && !/^\(.*\)$/.test(s)).join("/")}`)
    .sort();
}

const browser = await chromium.launch({
  executablePath: installedChromium(),
  args: CHROMIUM_ARGS,
});
const rows = [];
try {
  const page = await (await browser.newContext({ baseURL: `http://localhost:${port}`, viewport: { width: 1440, height: 900 } })).newPage();
  let since = performance.now();
  await page.goto("/sign-in");
  rows.push(["/sign-in", ms(since)]);
  await page.getByLabel("Email").fill("demo@leadflow.test");
  await page.getByLabel("Password").fill("leadflow-demo");
  since = performance.now();
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
  await page.waitForLoadState("load");
  rows.push(["sign in → Home", ms(since)]);

  // tRPC GETs carry superjson-wrapped input and answer { result: { data: { json } } }
  const query = async (procedure, input) => {
    const response = await page.request.get(`/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`);
    const body = await response.json().catch(() => null);
    if (!response.ok()) console.log(`${procedure}: HTTP ${response.status()} ${JSON.stringify(body).slice(0, 300)}`);
    return body?.result?.data?.json;
  };
  const leadId = (await query("leads.list", { limit: 1 }))?.items?.[0]?.id;
  const campaignId = (await query("campaigns.list", undefined))?.[0]?.id;
  for (const pattern of signedInPages()) {
    let url = pattern;
    if (pattern.includes("[id]")) {
      const id = pattern.startsWith("/leads") ? leadId : pattern.startsWith("/campaigns") ? campaignId : undefined;
      if (!id) continue;
      url = pattern.replace("[id]", id);
    } else if (pattern.includes("[")) continue;
    since = performance.now();
    await page.goto(url, { waitUntil: "load" });
    await page.locator("h1").first().waitFor();
    rows.push([pattern, ms(since)]);
  }
} finally {
  await browser.close();
  process.kill(-dev.pid, "SIGTERM");
}
const loads = rows.map(([, t]) => t).sort((a, b) => a - b);
for (const [what, t] of rows) console.log(`${what.padEnd(36)} ${String(t).padStart(6)} ms`);
console.log(`pages: ${rows.length}, median ${loads[Math.floor(loads.length / 2)]} ms, slowest ${loads.at(-1)} ms, over 2 s: ${loads.filter((t) => t > 2000).length}`);
