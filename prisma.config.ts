import { defineConfig } from "prisma/config";
import { migrationAdapter } from "./prisma/migration-adapter";

// generate and validate never connect, but without a URL Prisma 6 falls back to downloading
// its native engine, which cannot happen offline. Commands that connect need a real one.
process.env.DATABASE_URL ??= "postgresql://placeholder@127.0.0.1:5432/unset";

export default defineConfig({
  schema: "prisma/schema.prisma",
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => migrationAdapter(),
  migrations: { path: "prisma/migrations", seed: "tsx --conditions=react-server prisma/seed.ts" },
});
