import { inject, it, type TestFunction } from "vitest";

/**
 * True when this test file runs on the embedded PGlite (no Postgres reachable, or
 * TEST_EMBEDDED_POSTGRES=1) rather than a real Postgres server; see setup-database.ts.
 */
export const onEmbeddedPostgres = !inject("postgresServerUrl");

export const RACE_SKIP_REASON = "PGlite runs one connection per process: this race cannot happen here; CI runs it on a real Postgres";

let announced = false;

/**
 * A test that races concurrent calls against the database. On PGlite every call waits for the
 * one connection, so such a test would pass without proving anything: it is not registered
 * there (the file says why once, on the console).
 */
export function raceTest(name: string, fn: TestFunction, timeout?: number) {
  if (!onEmbeddedPostgres) return it(name, fn, timeout);
  if (!announced) {
    announced = true;
    console.warn(`Skipping race tests: ${RACE_SKIP_REASON}.`);
  }
}
