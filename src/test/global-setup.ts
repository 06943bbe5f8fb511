import type { TestProject } from "vitest/node";
import { createDatabase, dropDatabase, findPostgresServer, migrate, withDatabase } from "../../scripts/postgres.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    /** A Postgres server URL with a migrated template database, or null to use embedded PGlite per file. */
    postgresServerUrl: string | null;
    templateDatabase: string | null;
  }
}

/**
 * Migrates one template database per run; each test file then clones it (CREATE DATABASE …
 * TEMPLATE), which takes milliseconds. Without any reachable Postgres each file gets an
 * in-memory PGlite instead (see setup-database.ts).
 */
export default async function setup(project: TestProject) {
  const serverUrl: string | null = await findPostgresServer({ explicitUrl: process.env.TEST_DATABASE_URL });
  if (!serverUrl) {
    project.provide("postgresServerUrl", null);
    project.provide("templateDatabase", null);
    return;
  }
  const template = `leadflow_template_${process.pid}`;
  await createDatabase(serverUrl, template);
  await migrate(withDatabase(serverUrl, template));
  project.provide("postgresServerUrl", serverUrl);
  project.provide("templateDatabase", template);
  return async () => {
    await dropDatabase(serverUrl, template);
  };
}
