import { availableParallelism } from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname, "src"),
      // Tests run server modules directly; the real package throws outside React Server Components.
      "server-only": path.resolve(import.meta.dirname, "src/test/server-only.ts"),
    },
  },
  test: {
    // Vitest's default is one worker less than the cores: a single worker on a 2-core machine. The
    // integration files spend much of their time waiting on Postgres, pg-boss polls and child
    // processes, so two workers there took the suite from 164 s to 108 s (2 cores, shared).
    maxWorkers: Math.max(2, availableParallelism()),
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["src/**/*.test.{ts,tsx}"],
          exclude: ["src/**/*.int.test.{ts,tsx}"],
          environment: "node",
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["src/**/*.int.test.{ts,tsx}"],
          environment: "node",
          globalSetup: ["src/test/global-setup.ts"],
          setupFiles: ["src/test/setup-database.ts"],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
