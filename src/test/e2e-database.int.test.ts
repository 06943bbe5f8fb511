import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { createEndToEndDatabase, END_TO_END_DATABASE_PREFIX } from "../../scripts/e2e-database.mjs";

// `npm test`'s end-to-end database (scripts/test.mjs): one of its own per run, dropped afterwards.
const serverUrl = inject("postgresServerUrl");
const ROOT = path.resolve(import.meta.dirname, "../..");
const SKIP = "no Postgres server here (embedded PGlite per file): the end-to-end database is created on a server";

async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: serverUrl! });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    return rowCount === 1;
  } finally {
    await client.end();
  }
}

/** A node process that creates an end-to-end database, prints its name, then runs `then`. */
function child(then: string) {
  const code = `
    import { createEndToEndDatabase } from ${JSON.stringify(path.join(ROOT, "scripts/e2e-database.mjs"))};
    const database = await createEndToEndDatabase(${JSON.stringify(serverUrl)});
    console.log("NAME " + database.name);
    ${then}
  `;
  const process = spawn("node", ["--input-type=module", "-e", code], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  process.stdout.on("data", (chunk) => (output += chunk));
  process.stderr.on("data", (chunk) => (output += chunk));
  const name = new Promise<string>((resolve, reject) => {
    process.stdout.on("data", () => {
      const match = /NAME (\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    process.on("close", () => reject(new Error(`the child ended without a database: ${output}`)));
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => process.on("close", (code, signal) => resolve({ code, signal })));
  return { process, name, exited };
}

// Registered only with a Postgres server: without one (the embedded PGlite per file) there is no server
// to create the end-to-end database on, so the test could not fail; with one (CI, npm test here) it runs.
if (serverUrl) describe(`the end-to-end database (needs a server: ${SKIP})`, () => {
  it("has a name of its own per run, and is gone once dropped", async () => {
    const [first, second] = await Promise.all([createEndToEndDatabase(serverUrl!), createEndToEndDatabase(serverUrl!)]);
    try {
      expect(first.name).not.toBe(second.name);
      expect(first.name.startsWith(END_TO_END_DATABASE_PREFIX)).toBe(true);
      expect(await databaseExists(first.name)).toBe(true);
      expect(await databaseExists(second.name)).toBe(true);
      expect(new URL(first.url).pathname).toBe(`/${first.name}`);
    } finally {
      await Promise.all([first.drop(), second.drop()]);
    }
    expect(await databaseExists(first.name)).toBe(false);
    expect(await databaseExists(second.name)).toBe(false);
    await first.drop(); // a second drop is harmless
  });

  it("is dropped when the run is stopped (SIGTERM, SIGINT), and the run still ends by the signal", async () => {
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      const run = child("setInterval(() => {}, 1000);");
      const name = await run.name;
      expect(await databaseExists(name)).toBe(true);
      run.process.kill(signal);
      expect(await run.exited).toEqual({ code: null, signal });
      expect(await databaseExists(name)).toBe(false);
    }
  });

  it("is dropped when the run fails (the runner's finally), not left for the next run", async () => {
    const run = child(`try { throw new Error("the build failed"); } finally { await database.drop(); }`);
    const name = await run.name;
    expect((await run.exited).code).not.toBe(0);
    expect(await databaseExists(name)).toBe(false);
  });

  it("npm test uses it: no fixed database name, and it drops it in a finally", () => {
    const runner = readFileSync(path.join(ROOT, "scripts/test.mjs"), "utf8");
    expect(runner).not.toMatch(/createDatabase\(serverUrl, "leadflow_e2e"\)/);
    expect(runner).toMatch(/endToEndDatabase = await createEndToEndDatabase\(serverUrl\)/);
    expect(runner).toMatch(/finally \{[\s\S]*await endToEndDatabase\?\.drop\(\);/);
  });
});
