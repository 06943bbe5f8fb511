import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import { boundariesConfig } from "./eslint.boundaries.mjs";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: ["src/generated/**", ".next/**", ".data/**", "next-env.d.ts", "test-results/**", "playwright-report/**"],
  },
  ...boundariesConfig,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
];

export default config;
