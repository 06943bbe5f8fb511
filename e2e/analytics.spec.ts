import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "./fixtures";
import { navLink, signInAs, uniqueEmail, waitForHydration } from "./helpers";

/** A new organization of its own (nothing else in the run writes to it): its founder is an admin. */
async function signUpFounder(page: Page) {
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Avery Analyst");
  await page.getByLabel("Work email").fill(uniqueEmail("analytics"));
  await page.getByLabel("Password").fill("analytics-password-1");
  await page.getByLabel("Organization name").fill("Analytics Homes");
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).not.toHaveURL(/\/sign-up/);
}

async function call(page: Page, procedure: string, json: unknown) {
  const response = await page.request.post(`/api/trpc/${procedure}`, { data: { json } });
  expect(response.ok(), `${procedure}: ${await response.text()}`).toBe(true);
}

test("the analytics page charts the organization's leads, spend, funnel and revenue, with a table under each chart", async ({ page }) => {
  test.setTimeout(120_000);
  await signUpFounder(page);
  // Data of today: three leads added by hand and a (sandbox, simulated but billed) property search.
  for (const n of [1, 2, 3]) await call(page, "leads.create", { addressLine1: `${n} Chart St`, city: "Austin", state: "TX", zip: "78702", ownerName: `Owner ${n}` });
  await call(page, "search.run", { location: { zips: ["73301"] } });

  await page.goto("/");
  await navLink(page, "Analytics").click();
  await expect(page).toHaveURL(/\/analytics$/);
  await expect(page.getByRole("heading", { name: "Analytics", level: 1 })).toBeVisible();
  await waitForHydration(page);

  // Charts first: every section draws one (leads, spend, cost per lead, funnel, revenue, usage).
  const charts = page.getByTestId("analytics-chart");
  await expect(charts).toHaveCount(6);
  // The chart's own surface (legend icons are small recharts surfaces too).
  for (let i = 0; i < 6; i++) await expect(charts.nth(i).locator(".recharts-wrapper > svg.recharts-surface")).toBeVisible();
  // The leads chart has bars for today's leads; the spend chart for the search.
  await expect(charts.nth(0).locator(".recharts-bar-rectangle path").first()).toBeVisible();
  await expect(charts.nth(1).locator(".recharts-bar-rectangle path").first()).toBeVisible();

  // ... and the same numbers in a table under each.
  const leads = page.getByRole("table", { name: "Leads added by source" });
  await expect(leads.getByRole("row", { name: /Added by hand/ })).toContainText("3");
  const spend = page.getByRole("table", { name: "Spend by provider against its daily cap" });
  const searchRow = spend.getByRole("row", { name: /ATTOM property data/ });
  await expect(searchRow.getByRole("cell").nth(0)).not.toHaveText("0");
  await expect(searchRow.getByRole("cell").nth(1)).not.toHaveText("$0.00");
  await expect(page.getByRole("table", { name: "What cost per lead is made of" }).getByRole("row", { name: /Property searches/ })).toBeVisible();
  await expect(page.getByRole("table", { name: "Funnel and rates per campaign" }).getByRole("row", { name: /All campaigns/ })).toBeVisible();

  // Another range: the last 7 days still hold today's leads.
  await page.getByRole("button", { name: "Last 7 days" }).click();
  await expect(page.getByText(/^[A-Z][a-z]{2} \d+ – [A-Z][a-z]{2} \d+ in /)).toBeVisible();
  await expect(leads.getByRole("row", { name: /Added by hand/ })).toContainText("3");

  // Usage: this month's spend per provider, exported as CSV.
  const usage = page.getByRole("region", { name: "Usage" });
  await expect(usage.getByRole("row", { name: /ATTOM property data/ })).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent("download"), usage.getByRole("button", { name: "Export CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^leadflow-usage-\d{4}-\d{2}\.csv$/);
  const csv = await readFile((await download.path())!, "utf8");
  expect(csv).toContain("month,provider,unit,billed_calls,spend_usd");
  expect(csv).toMatch(/ATTOM property data,search call,[1-9]\d*,/);
  expect(csv).toMatch(/leads_added,3/);
});

test("a member without the manager role is told which role analytics needs", async ({ page }) => {
  await signInAs(page, { email: "user@leadflow.test", password: "leadflow-demo" });
  await page.goto("/analytics");
  await expect(page.getByTestId("role-required")).toContainText("You need a manager or admin role to open Analytics");
  await expect(navLink(page, "Analytics")).toHaveCount(0);
});
