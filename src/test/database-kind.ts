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
 * one connection, so such a test would pass without proving anything: it is skipped there,
 * with the reason in its title.
 */
export function raceTest(name: string, fn: TestFunction, timeout?: number) {
  if (!onEmbeddedPostgres) return it(name, fn, timeout);
  if (!announced) {
    announced = true;
    console.warn(`Skipping race tests: ${RACE_SKIP_REASON}.`);
  }
  // Skipped only on the embedded PGlite, because one connection per process serializes the race
  // away there and the test could not fail; CI and every machine with a local Postgres run it.
  return it.skip(`${name} [skipped: ${RACE_SKIP_REASON}]`, fn, timeout); // Skip reason: on PGlite the race cannot happen, so the test could not fail there.
}
