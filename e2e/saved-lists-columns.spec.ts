import { expect, test, type Page } from "./fixtures";
import { signInAs, waitForHydration } from "./helpers";

/** Issue 14 items 6 and 9: saved searches, saved lead lists with a live count, the leads list's column picker. */

async function trpc<T>(page: Page, path: string, input: unknown): Promise<T> {
  const response = await page.request.post(`/api/trpc/${path}`, { data: { json: input } });
  expect(response.ok(), `${path}: ${await response.text()}`).toBe(true);
  return ((await response.json()) as { result: { data: { json: T } } }).result.data.json;
}

async function savedColumns(page: Page): Promise<string[]> {
  const response = await page.request.get("/api/trpc/preferences.leadColumns");
  expect(response.ok()).toBe(true);
  return ((await response.json()) as { result: { data: { json: { columns: string[] } } } }).result.data.json.columns;
}

const uniqueToken = () => `sl${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

test.beforeEach(async ({ page }) => {
  await signInAs(page);
  await expect(page.getByTestId("org-name")).toBeVisible();
});

test("save a property search by name, then re-run it from the saved list (from cache, free); recent searches show the filters once", async ({ page }) => {
  const name = `Austin absentee ${uniqueToken()}`;
  await page.goto("/search?zips=78745&bedsMin=3&absentee=absentee");
  await waitForHydration(page);
  const header = page.getByTestId("result-header");
  await expect(header).toContainText("properties");

  await page.getByRole("button", { name: "Save search" }).click();
  await page.getByLabel("Name of the saved search").fill(name);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText(`Saved “${name}”.`)).toBeVisible();
  const saved = page.getByTestId("saved-search").filter({ hasText: name });
  await expect(saved).toContainText("ZIP 78745");
  await expect(saved).toContainText("Absentee owners · Beds 3+");

  // A fresh, empty search page: one click on the saved search runs it again, answered from cache.
  await page.goto("/search");
  await waitForHydration(page);
  await expect(page.getByTestId("result-header")).toHaveCount(0);
  await page.getByRole("button", { name: `Run saved search ${name}` }).click();
  await expect(page).toHaveURL(/zips=78745/);
  await expect(page).toHaveURL(/bedsMin=3/);
  await expect(page).toHaveURL(/absentee=absentee/);
  await expect(page.getByTestId("result-header")).toContainText("Cache hit · cost $0.00");
  await expect(page.getByLabel("ZIP codes")).toHaveValue("78745");

  // Recent searches: this search is one row however often it ran, with its filters; a click re-runs it.
  await page.reload();
  await waitForHydration(page);
  const recent = page.getByTestId("recent-search").filter({ hasText: "ZIP 78745" }).filter({ hasText: "Absentee owners · Beds 3+" });
  await expect(recent).toHaveCount(1);
  await page.goto("/search");
  await waitForHydration(page);
  await recent.getByRole("button").click();
  await expect(page).toHaveURL(/zips=78745/);
  await expect(page.getByTestId("result-header")).toContainText("Cache hit · cost $0.00");
  await expect(recent).toHaveCount(1);
});

test("save a lead list and see its live count, in the list and in the saved lists menu", async ({ page }) => {
  const token = uniqueToken();
  const create = (n: number) => trpc(page, "leads.create", { addressLine1: `${n} ${token} List St`, city: "Austin", state: "TX", zip: "78701" });
  for (const n of [1, 2, 3]) await create(n);

  await page.goto(`/leads?q=${token}`);
  await waitForHydration(page);
  await expect(page.getByTestId("lead-count")).toContainText("of 3 leads");
  const name = `List ${token}`;
  await page.getByRole("button", { name: "Save filter" }).click();
  await page.getByLabel("Name of the saved filter").fill(name);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByTestId("saved-filter-current")).toContainText(name);
  await expect(page.getByTestId("saved-filter-count")).toHaveText("· 3 leads");

  // A lead that matches arrives: the count follows.
  await create(4);
  await page.reload();
  await waitForHydration(page);
  await expect(page.getByTestId("saved-filter-count")).toHaveText("· 4 leads");
  await page.getByRole("button", { name: /^Saved filters/ }).click();
  await expect(page.getByTestId("saved-filter-item").filter({ hasText: name }).getByTestId("saved-filter-item-count")).toHaveText("(4)");
});

test("pick columns on the leads list with the keyboard; they stay after a reload; the owner keeps the Company/Trust badge", async ({ page }) => {
  const token = uniqueToken();
  const before = await savedColumns(page);
  try {
    await trpc(page, "leads.create", {
      addressLine1: `7 ${token} Column Ave`, city: "Austin", state: "TX", zip: "78702", ownerName: `${token} Holdings LLC`, estimatedValueCents: 25_000_000, equityPct: 42,
    });
    await page.goto(`/leads?q=${token}`);
    await waitForHydration(page);
    const row = page.getByTestId("lead-row");
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("Company/Trust");
    await expect(page.getByRole("columnheader", { name: "Equity" })).toHaveCount(0);

    // Keyboard only: open, tick Equity and Value, close with Escape (focus returns to the button).
    const toggle = page.getByRole("button", { name: "Columns" });
    await toggle.focus();
    await page.keyboard.press("Enter");
    const equity = page.getByRole("checkbox", { name: "Equity" });
    await expect(equity).toBeVisible();
    await equity.focus();
    await page.keyboard.press("Space");
    await expect(equity).toBeChecked();
    await page.keyboard.press("Tab");
    await expect(page.getByRole("checkbox", { name: "Value" })).toBeFocused();
    await page.keyboard.press("Space");
    await page.keyboard.press("Escape");
    await expect(toggle).toBeFocused();
    await expect(page.getByRole("columnheader", { name: "Equity" })).toBeVisible();
    await expect(row.getByTestId("lead-equity")).toHaveText("42%");
    await expect(row.getByTestId("lead-value")).toHaveText("$250,000");

    // Kept on the server for this user: a reload shows the same columns.
    await expect.poll(() => savedColumns(page)).toEqual(expect.arrayContaining(["equity", "value"]));
    await page.reload();
    await waitForHydration(page);
    await expect(page.getByRole("columnheader", { name: "Equity" })).toBeVisible();
    await expect(page.getByRole("columnheader", { name: "Value" })).toBeVisible();
    await expect(row.getByTestId("lead-value")).toHaveText("$250,000");
  } finally {
    await trpc(page, "preferences.setLeadColumns", { columns: before });
  }
});

test("add all results of a search: a background job walks every page and reports added / already in leads / cost", async ({ page }) => {
  test.setTimeout(90_000);
  // 36 results at 10 a page in the sandbox: four pages, the first paid by the search itself.
  await page.goto("/search?zips=78748&bedsMin=4&absentee=absentee&pageSize=10");
  await waitForHydration(page);
  const header = page.getByTestId("result-header");
  await expect(header).toContainText("36 properties");
  const rows = page.getByTestId("result-row");
  await expect(rows).toHaveCount(10);
  // One of them by hand first: "add all" counts it as already in leads.
  await rows.nth(0).getByRole("checkbox").check();
  await page.getByRole("button", { name: "Add selected (1)" }).click();
  await expect(rows.nth(0)).toContainText("In leads");

  await page.getByRole("button", { name: "Add all 36 to leads" }).click();
  const status = page.getByTestId("add-all-status");
  await expect(status).toContainText("All results added.", { timeout: 60_000 });
  const match = /(\d+) added · (\d+) already in leads · \$(\d+\.\d{2}) spent/.exec(await status.innerText());
  expect(match, await status.innerText()).not.toBeNull();
  expect(Number(match![1]) + Number(match![2])).toBe(36);
  expect(Number(match![2])).toBeGreaterThanOrEqual(1);
  // The page shown is refreshed: every row is in leads now.
  await expect(rows.filter({ hasText: "In leads" })).toHaveCount(10);
});
