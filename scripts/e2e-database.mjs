// The end-to-end tests' database: a name of its own per run, so two runs on one Postgres server
// (two clones, two sessions, CI next to a developer) never share or drop each other's database,
// and dropped when the run ends — whether it passed, failed, or was stopped with Ctrl-C / SIGTERM.
import { randomBytes } from "node:crypto";
import { createDatabase, dropDatabase } from "./postgres.mjs";

/** Every end-to-end database name starts with this (and nothing else creates such names). */
export const END_TO_END_DATABASE_PREFIX = "leadflow_e2e_";

/** A fresh name: the process id and 8 random hex digits ("leadflow_e2e_4242_9f3c01ab"). */
export function endToEndDatabaseName() {
  return `${END_TO_END_DATABASE_PREFIX}${process.pid}_${randomBytes(4).toString("hex")}`;
}

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"];

/**
 * Creates this run's database on the server. `drop()` removes it (once, however often called);
 * a signal that would end the process drops it first, then ends the process as the signal would.
 * @param {string} serverUrl a URL of the server's maintenance database
 * @returns {Promise<{ name: string, url: string, drop: () => Promise<void> }>}
 */
export async function createEndToEndDatabase(serverUrl) {
  const name = endToEndDatabaseName();
  const url = await createDatabase(serverUrl, name);
  /** @type {Promise<void> | null} */
  let dropping = null;
  const onSignal = (signal) => {
    void drop().finally(() => process.kill(process.pid, signal));
  };
  const drop = () => {
    if (!dropping) {
      for (const signal of SIGNALS) process.off(signal, onSignal);
      dropping = dropDatabase(serverUrl, name).catch((error) => {
        console.error(`Could not drop the end-to-end database ${name}: ${error.message}`);
      });
    }
    return dropping;
  };
  for (const signal of SIGNALS) process.once(signal, onSignal);
  return { name, url, drop };
}
