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
  {
    files: ["src/**/*.tsx"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          // Whatever an effect returns, React calls as its cleanup. DOM methods now return promises
          // (Chromium's scrollIntoView does), so an expression body crashed the lead page.
          selector: "CallExpression[callee.name=/^use(Layout)?Effect$/] > ArrowFunctionExpression[body.type!='BlockStatement'][body.type!='ArrowFunctionExpression'][body.type!='FunctionExpression']",
          message: "Give effects a block body: an expression body returns its value, which React calls as the cleanup.",
        },
      ],
    },
  },
];

export default config;
