import { readFileSync } from "node:fs";
import { expect, test, type Page } from "./fixtures";
import { signInAs } from "./helpers";

/** A token no other spec's lead will contain, so filters on it see only this test's leads. */
const uniqueToken = () => `zq${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

/** Creates a lead through /leads/new and returns on its page. */
async function createLead(page: Page, lead: { street: string; owner: string; status?: string }) {
  await page.goto("/leads/new");
  await page.getByLabel("Street address").fill(lead.street);
  await page.getByLabel("City").fill("Austin");
  await page.getByLabel("State").fill("TX");
  await page.getByLabel("ZIP").fill("78701");
  await page.getByLabel("Owner name").fill(lead.owner);
  if (lead.status) await page.getByLabel("Status").selectOption({ label: lead.status });
  await page.getByLabel("Estimated value ($)").fill("350,000");
  await page.getByLabel("Equity (%)").fill("70");
  await page.getByRole("button", { name: "Create lead" }).click();
  await expect(page).toHaveURL(/\/leads\/(?!new)[^/?]+$/);
  await expect(page.getByRole("heading", { level: 1, name: lead.street })).toBeVisible();
}

test.beforeEach(async ({ page }) => {
  await signInAs(page);
  await expect(page.getByTestId("org-name")).toBeVisible();
});

test("the lead list narrows by free text and status, and keeps the filters in the URL", async ({ page }) => {
  const token = uniqueToken();
  await createLead(page, { street: `101 ${token} Alpha St`, owner: `Alice ${token}`, status: "Contacted" });
  await createLead(page, { street: `202 ${token} Beta St`, owner: `Bob ${token}` });

  await page.goto("/leads");
  const rows = page.getByTestId("lead-row");
  await expect(rows.first()).toBeVisible();

  await page.getByLabel("Search address or owner").fill(token);
  await expect(page).toHaveURL(new RegExp(`[?&]q=${token}`));
  await expect(rows).toHaveCount(2);
  await expect(page.getByTestId("lead-count")).toHaveText("Showing 2 of 2 leads");

  await page.getByRole("group", { name: "Status" }).getByRole("button", { name: /^Contacted/ }).click();
  await expect(page).toHaveURL(/[?&]status=contacted/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(`101 ${token} Alpha St`);
  await expect(rows.first()).toContainText("Contacted");

  // The URL alone restores the view.
  await page.reload();
  await expect(page.getByLabel("Search address or owner")).toHaveValue(token);
  await expect(rows).toHaveCount(1);

  // Export what the filter shows: the CSV has SPEC's columns and just this lead.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^leads-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync((await download.path())!, "utf8").trim().split("\n");
  const header = csv[0]!.split(",");
  expect(header).toEqual(expect.arrayContaining(["source", "skip_trace_provider", "best_phone", "all_phones", "emails", "dnc_flag", "status", "temperature", "score"]));
  expect(csv).toHaveLength(2);
  expect(csv[1]).toContain(`101 ${token} Alpha St`);
  expect(csv[1]).toContain("contacted");

  // Each row opens its lead.
  await rows.first().getByRole("link", { name: `101 ${token} Alpha St` }).click();
  await expect(page.getByRole("heading", { level: 1, name: `101 ${token} Alpha St` })).toBeVisible();
});

test("a status chip clicked while the counts for a new search load keeps that search", async ({ page }) => {
  const token = uniqueToken();
  await createLead(page, { street: `303 ${token} Gamma St`, owner: `Cora ${token}`, status: "Contacted" });
  await createLead(page, { street: `404 ${token} Delta St`, owner: `Dan ${token}` });
  await page.goto("/leads");
  const rows = page.getByTestId("lead-row");
  await expect(rows.first()).toBeVisible();

  // Counts take their time (a busy server): the chips are clicked before they arrive.
  await page.route(/\/api\/trpc\/[^?]*leads\.counts/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await route.continue();
  });
  await page.getByLabel("Search address or owner").fill(token);
  await expect(page).toHaveURL(new RegExp(`[?&]q=${token}`));
  await page.getByRole("group", { name: "Status" }).getByRole("button", { name: /^Contacted/ }).click();
  await expect(page).toHaveURL(/[?&]status=contacted/);
  expect(new URL(page.url()).searchParams.get("q")).toBe(token);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(`303 ${token} Gamma St`);

  // The same for the other filters: a narrower search, then at once a select.
  await page.getByLabel("Search address or owner").fill(`303 ${token}`);
  await expect(page).toHaveURL(new RegExp(`[?&]q=303`));
  await page.getByLabel("Archived").selectOption({ label: "Include archived" });
  await expect(page).toHaveURL(/[?&]archived=include/);
  const params = new URL(page.url()).searchParams;
  expect([params.get("q"), params.get("status")]).toEqual([`303 ${token}`, "contacted"]);
  await expect(rows).toHaveCount(1);

  // Typing on while the page is not yet updated: the search typed is kept (the input does not put
  // back its own earlier value when React shows it late). Then two clicks on a chip of a page not
  // yet updated mean what the page shows: "New" on, not on and off.
  await page.getByLabel("Search address or owner").fill(token);
  await expect(page).toHaveURL(new RegExp(`[?&]q=${token}(&|$)`));
  const newChip = page.getByRole("group", { name: "Status" }).getByRole("button", { name: /^New/ });
  await newChip.click();
  await newChip.click();
  await expect(page).toHaveURL(/[?&]status=contacted&status=new|[?&]status=new&status=contacted/);
  await expect(rows).toHaveCount(2);
});

test("work a lead: add a note, change its status, mark it won", async ({ page }) => {
  const token = uniqueToken();
  const street = `303 ${token} Gamma St`;
  await createLead(page, { street, owner: `Carol ${token}` });
  const timeline = page.getByTestId("timeline");
  await expect(timeline).toContainText("Created by hand");

  // A note, added with Ctrl+Enter, shows in the notes and the timeline and survives a reload.
  const note = `Called ${token}; call back Friday.`;
  await page.getByLabel("New note").fill(note);
  await page.getByLabel("New note").press("Control+Enter");
  await expect(page.getByTestId("note").first()).toContainText(note);
  await expect(page.getByLabel("New note")).toHaveValue("");
  await page.reload();
  await expect(page.getByTestId("note").first()).toContainText(note);
  await expect(timeline.getByTestId("timeline-item").first()).toContainText("Added a note");

  // Status changes at once and is recorded.
  const status = page.getByTestId("status-select");
  await status.selectOption({ label: "Contacted" });
  await expect(status).toHaveValue("contacted");
  await expect(timeline.getByTestId("timeline-item").first()).toContainText("Moved from New to Contacted");
  await page.reload();
  await expect(status).toHaveValue("contacted");
  await expect(timeline).toContainText("Moved from New to Contacted");

  // Won, with the revenue in dollars.
  await page.getByRole("button", { name: "Mark won" }).click();
  await page.getByLabel("Revenue ($)").fill("12,500.50");
  await page.getByRole("button", { name: "Save as won" }).click();
  await expect(page.getByTestId("outcome")).toContainText("Won · $12,500.50");
  await expect(status).toHaveValue("closed");
  await expect(timeline.getByTestId("timeline-item").first()).toContainText("Marked won: $12,500.50");
  await page.reload();
  await expect(page.getByTestId("outcome")).toContainText("Won · $12,500.50");

  // The list shows the new status.
  await page.goto(`/leads?q=${token}`);
  await expect(page.getByTestId("lead-row")).toHaveCount(1);
  await expect(page.getByTestId("lead-row").first()).toContainText("Closed");
});
