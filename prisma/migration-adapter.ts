/**
 * The driver adapter Prisma's CLI uses for migrations (prisma.config.ts). Prisma 6.19's WASM
 * schema engine talks to Postgres through @prisma/adapter-pg, which needs four fixes to work
 * for migrations on these machines (see STACK.md). CLI-only: never imported by the app.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

// 4. The WASM engine arms 10 s / 60 s timers that keep the CLI alive after it finished.
const originalSetTimeout = globalThis.setTimeout;
globalThis.setTimeout = ((handler: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
  const timer = originalSetTimeout(handler, ms, ...args);
  if ((ms ?? 0) >= 10_000) timer.unref?.();
  return timer;
}) as typeof setTimeout;

// 1. Catalog types the schema engine introspects (name, "char", reg*) are read as text.
const CATALOG_TEXT_OIDS = new Set([18, 19, 24, 2202, 2203, 2204, 2205, 2206, 3734, 3769, 4089, 4096, 194, 1002, 1003, 1028]);
const TEXT_OID = 25;
let catalogPatchApplied = false;
function readCatalogTypesAsText(adapter: object) {
  if (catalogPatchApplied) return;
  const queryable = Object.getPrototypeOf(Object.getPrototypeOf(adapter)) as {
    performIO: (query: unknown) => Promise<{ fields: { dataTypeID: number }[] }>;
  };
  const performIO = queryable.performIO;
  queryable.performIO = async function patchedPerformIO(this: unknown, query: unknown) {
    const result = await performIO.call(this, query);
    for (const field of result?.fields ?? []) {
      if (CATALOG_TEXT_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
    }
    return result;
  };
  catalogPatchApplied = true;
}

// 2. Discrete connection fields with max: 1; a connectionString would override the shadow name.
function poolConfig(url: string): pg.PoolConfig {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username || "postgres"),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.slice(1) || "postgres"),
    max: 1,
    allowExitOnIdle: true,
  };
}

class MigrationAdapterFactory extends PrismaPg {
  constructor(private readonly url: string) {
    super(poolConfig(url));
  }

  override async connect() {
    const adapter = await super.connect();
    readCatalogTypesAsText(adapter);
    return adapter;
  }

  // 3. Close the shadow pool before dropping its database; honour SHADOW_DATABASE_URL.
  override async connectToShadowDb() {
    const shadowUrl = process.env.SHADOW_DATABASE_URL;
    if (shadowUrl) return new MigrationAdapterFactory(shadowUrl).connect();

    const admin = await this.connect();
    const database = `prisma_migrate_shadow_db_${globalThis.crypto.randomUUID()}`;
    await admin.executeScript(`CREATE DATABASE "${database}"`);
    const shadowConfig = { ...poolConfig(this.url), database };
    const shadow = await new PrismaPg(shadowConfig).connect();
    readCatalogTypesAsText(shadow);
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await dispose();
      await admin.executeScript(`DROP DATABASE IF EXISTS "${database}"`);
      await admin.dispose();
    };
    return shadow;
  }
}

export function migrationAdapter() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: the Prisma CLI needs a database to migrate.");
  return new MigrationAdapterFactory(url);
}
