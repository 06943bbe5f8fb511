import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: ["src/generated/**", ".next/**", ".data/**", "next-env.d.ts", "test-results/**", "playwright-report/**"],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // lib/ is a leaf: pure code that imports nothing of ours beyond lib itself.
    files: ["src/lib/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["@/server/*", "@/app/*", "@/components/*", "@/trpc/*"] }],
    },
  },
  {
    // Providers are ports' implementations: they never reach into services or routers.
    files: ["src/server/providers/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["@/server/*/service*", "@/server/*/router*", "@/app/*"] }],
    },
  },
];

export default config;
