import { test as base, expect, type BrowserContext } from "@playwright/test";

// Every spec imports `test` and `expect` from here: the app runs under its Content-Security-Policy
// in these tests, and any violation (a blocked script, style, connection, frame…) fails the test
// that caused it.
export * from "@playwright/test";

declare global {
  interface Window {
    __reportCspViolation?: (violation: string) => void;
  }
}

async function watchForCspViolations(context: BrowserContext, violations: string[]) {
  await context.exposeBinding("__reportCspViolation", ({ page }, violation: string) => {
    violations.push(`${page?.url() ?? "?"}: ${violation}`);
  });
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const where = event.sourceFile ? ` at ${event.sourceFile}:${event.lineNumber}` : "";
      window.__reportCspViolation?.(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"}${where} (${event.sample})`);
    });
  });
  // Chromium also logs each violation, including those no document listener sees (workers).
  context.on("console", (message) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) violations.push(`${message.page()?.url() ?? "?"}: console: ${message.text()}`);
  });
}

export const test = base.extend<{ cspViolations: string[] }>({
  cspViolations: [
    async ({ context, browser }, runTest) => {
      const violations: string[] = [];
      await watchForCspViolations(context, violations);
      // Contexts a test opens itself (a second user, a stranger) are watched too.
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (...args) => {
        const opened = await newContext(...args);
        await watchForCspViolations(opened, violations);
        return opened;
      };
      try {
        await runTest(violations);
      } finally {
        browser.newContext = newContext;
      }
      expect(violations, "Content-Security-Policy violations in the browser").toEqual([]);
    },
    { auto: true },
  ],
});
