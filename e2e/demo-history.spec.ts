import { expect, test } from "./fixtures";
import { signInAs, waitForHydration } from "./helpers";

// The demo history (prisma/seed.ts, prisma/demo-history.ts): in the end-to-end database it is
// given to a second organization, Harbor Homes, so the demo organization's specs start empty. A
// newcomer's first pages have something true to show: leads over weeks, a finished and a running
// campaign with their counters, replies in the inbox, spend in the ledger, won deals.
const HISTORY = { email: "history@leadflow.test", password: "leadflow-demo" };

test("the seeded history shows on the leads list, the campaigns, the inbox and the budgets", async ({ page }) => {
  await signInAs(page, HISTORY);
  await expect(page.getByTestId("org-name")).toHaveText("Harbor Homes");

  await page.goto("/leads");
  await waitForHydration(page);
  const rows = page.getByTestId("lead-row");
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeGreaterThan(10);

  await page.goto("/campaigns");
  const table = page.getByTestId("campaigns-table");
  const finished = table.getByRole("row").filter({ hasText: "Phoenix absentee owners — first touch" });
  await expect(finished).toContainText("Completed");
  // Its counters came from the status callbacks: some delivered, a reply rate, an opt-out.
  await expect(finished).not.toContainText("0 of 0");
  await expect(table.getByRole("row").filter({ hasText: "Phoenix high equity — follow-up" })).toBeVisible();

  // The running campaign's texts (one a second once the app runs) become the newest threads, so
  // the seeded replies may be past the first page by now: found by searching, as a user would.
  await page.goto("/inbox");
  await waitForHydration(page);
  await page.getByLabel("Search conversations").fill("might sell");
  const found = page.getByTestId("inbox-thread");
  await expect(found).toHaveCount(1);
  await found.click();
  await expect(page.getByTestId("inbox-message").filter({ hasText: "Yes, I might sell. What would you offer?" })).toHaveAttribute("data-direction", "inbound");

  // Analytics charts the history: leads added over the weeks, the ledger's spend, the funnel, revenue.
  await page.goto("/analytics");
  await waitForHydration(page);
  const charts = page.getByTestId("analytics-chart");
  await expect(charts).toHaveCount(6);
  await expect(charts.nth(0).locator(".recharts-bar-rectangle path").first()).toBeVisible();
  expect(await charts.nth(0).locator(".recharts-bar-rectangle path").count()).toBeGreaterThan(5);
  await expect(charts.nth(1).locator(".recharts-bar-rectangle path").first()).toBeVisible();
});
