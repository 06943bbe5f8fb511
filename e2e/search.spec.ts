import { expect, test, type Locator, type Page } from "./fixtures";
import { DEMO, signInAs } from "./helpers";

/** Today's spend in cents as the result header shows it ("Today $0.30 of $15.00"). */
async function spentToday(header: Locator) {
  const match = /Today \$(\d+)\.(\d{2}) of/.exec(await header.innerText());
  if (!match) throw new Error("no spend in the result header");
  return Number(match[1]) * 100 + Number(match[2]);
}

/** The organization's most recent search-history row, read over the API. */
async function latestSearchRunId(page: Page) {
  const input = encodeURIComponent(JSON.stringify({ json: { limit: 1 } }));
  const response = await page.request.get(`/api/trpc/search.history?input=${input}`);
  expect(response.ok()).toBe(true);
  const body = (await response.json()) as { result: { data: { json: { id: string }[] } } };
  return body.result.data.json[0]?.id ?? null;
}

test("search a ZIP on the sandbox, see the cost, add results to leads, repeat and hit the cache", async ({ page }) => {
  await signInAs(page);
  await expect(page.getByTestId("org-name")).toBeVisible();
  await page.goto("/search");
  await expect(page.getByTestId("search-budget")).toContainText("Sandbox");

  await page.getByLabel("ZIP codes").fill("73301");
  await page.getByLabel("Owner").selectOption("absentee");
  await page.getByRole("button", { name: "Search", exact: true }).click();

  const header = page.getByTestId("result-header");
  await expect(header).toContainText("Cache miss · cost $0.10 (simulated)");
  await expect(header).toContainText("of $15.00");
  const spentAfterFirst = await spentToday(header);
  await expect(page).toHaveURL(/zips=73301/);
  await expect(page).toHaveURL(/absentee=absentee/);
  const rows = page.getByTestId("result-row");
  const count = await rows.count();
  expect(count).toBeGreaterThan(0);
  // Every row honours the absentee filter.
  await expect(rows.filter({ hasText: "Absentee" })).toHaveCount(count);

  // Adding refreshes the "In leads" flags read-only: no new search-history row, no new charge.
  const runBeforeAdding = await latestSearchRunId(page);
  await rows.nth(0).getByRole("checkbox").check();
  await rows.nth(1).getByRole("checkbox").check();
  await page.getByRole("button", { name: "Add selected (2)" }).click();
  await expect(page.getByText("2 added, 0 already in leads")).toBeVisible();
  await expect(rows.nth(0)).toContainText("In leads");
  await expect(rows.nth(1)).toContainText("In leads");

  await page.getByRole("button", { name: "Add page to leads" }).click();
  await expect(page.getByText(`${count - 2} added, 2 already in leads`)).toBeVisible();
  await expect(rows.filter({ hasText: "In leads" })).toHaveCount(count);
  expect(await latestSearchRunId(page)).toBe(runBeforeAdding);
  expect(await spentToday(header)).toBe(spentAfterFirst);

  // The same search again — even after a full reload — is free.
  await page.reload();
  await expect(page.getByTestId("result-header")).toContainText("Cache hit · cost $0.00");
  expect(await spentToday(page.getByTestId("result-header"))).toBe(spentAfterFirst);
  await expect(rows.filter({ hasText: "In leads" })).toHaveCount(count);

  // A new page is a new paid query.
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByTestId("result-header")).toContainText("Cache miss · cost $0.10 (simulated)");
  expect(await spentToday(page.getByTestId("result-header"))).toBe(spentAfterFirst + 10);
});

test("a multi-ZIP search where one ZIP fails shows the others, a per-ZIP error and a retry that pays only for that ZIP", async ({ page }) => {
  await signInAs(page);
  await expect(page.getByTestId("org-name")).toBeVisible();
  // The sandbox simulates an outage for ZIP 00000; the page size keeps these pages apart from other tests'.
  await page.goto("/search?zips=00000%2C73344&pageSize=10");

  const header = page.getByTestId("result-header");
  await expect(header).toContainText("cost $0.10 (simulated)");
  const spentAfterFirst = await spentToday(header);
  const failure = page.getByTestId("location-error");
  await expect(failure).toContainText("ZIP 00000 failed");
  await expect(failure).toContainText("simulates an outage");
  const rows = page.getByTestId("result-row");
  expect(await rows.count()).toBeGreaterThan(0);
  await expect(rows.filter({ hasText: "73344" }).first()).toBeVisible();
  await expect(page.getByLabel("Cost per ZIP")).toContainText("73344");

  // Retrying pays only for the failed ZIP (which fails again, unbilled); 73344 comes from cache.
  await page.getByRole("button", { name: "Retry ZIP 00000" }).click();
  await expect(page.getByLabel("Cost per ZIP")).toContainText("cache hit");
  await expect(header).toContainText("cost $0.00");
  expect(await spentToday(header)).toBe(spentAfterFirst);
  await expect(failure).toContainText("ZIP 00000 failed");
});

test("a user without the manager role cannot open search", async ({ page }) => {
  await signInAs(page, { email: "user@leadflow.test", password: DEMO.password });
  await expect(page.getByTestId("org-name")).toBeVisible();
  await page.goto("/search");
  await expect(page).toHaveURL(/\/$/);
  const response = await page.request.post("/api/trpc/search.run", { data: { json: { location: { zips: ["73301"] } } } });
  expect(response.status()).toBe(403);
});
