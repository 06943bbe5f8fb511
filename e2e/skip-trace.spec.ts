import { expect, test, type Page } from "./fixtures";
import { signInAs } from "./helpers";

/** Letters only: street names with it still normalize like ordinary ones, and reruns never collide. */
const uniqueToken = () => `Zq${Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join("")}`;

/** A sandbox best phone as the app shows it: +1 AAA 555 01XX → "(AAA) 555-01XX". */
const SANDBOX_PHONE = /\(\d{3}\) 555-01\d{2}/;

test.beforeEach(async ({ page }) => {
  await signInAs(page);
  await expect(page.getByTestId("org-name")).toBeVisible();
});

async function createLeadInForm(page: Page, street: string) {
  await page.goto("/leads/new");
  await page.getByLabel("Street address").fill(street);
  await page.getByLabel("City").fill("Austin");
  await page.getByLabel("State").fill("TX");
  await page.getByLabel("ZIP").fill("78701");
  await page.getByLabel("Owner name").fill("Robin Tracer");
  await page.getByRole("button", { name: "Create lead" }).click();
  await expect(page).toHaveURL(/\/leads\/(?!new)[^/?]+$/);
  await expect(page.getByRole("heading", { level: 1, name: street })).toBeVisible();
}

test("a manager skip traces one lead: estimate, confirm, best phone, phones and history filled", async ({ page }) => {
  const token = uniqueToken();
  const dialog = page.getByRole("dialog", { name: "Skip trace this lead" });

  // The sandbox matches ~80 % of addresses (deterministically) and a match may have no textable
  // mobile; a fresh address is tried until one gives a best phone (no match costs nothing).
  let matched = false;
  for (let attempt = 0; attempt < 6 && !matched; attempt++) {
    await createLeadInForm(page, `${120 + attempt * 2} ${token} Birch Street`);
    await expect(page.getByTestId("no-phones")).toContainText("No phones yet");
    await expect(page.getByTestId("no-phones")).not.toContainText("coming soon");
    await expect(page.getByTestId("skip-trace-history-empty")).toBeVisible();

    await page.getByRole("button", { name: "Skip trace", exact: true }).click();
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId("skip-trace-estimate")).toContainText("Sandbox");
    await expect(dialog.getByTestId("skip-trace-cost")).toHaveText(/^\d+¢, billed only if a match is found$/);
    await expect(dialog.getByTestId("skip-trace-budget")).toContainText("left");
    await dialog.getByRole("button", { name: /^Skip trace \(\d+¢ if matched\)$/ }).click();

    const result = dialog.getByTestId("skip-trace-result");
    await expect(result).toBeVisible({ timeout: 20_000 });
    matched = (await result.getByTestId("skip-trace-best-phone").count()) > 0;
    if (matched) {
      await expect(result).toContainText("Found the owner");
      await expect(result.getByTestId("skip-trace-best-phone")).toHaveText(SANDBOX_PHONE);
      await expect(result.getByTestId("skip-trace-charged")).toHaveText(/^\$0\.\d\d$/);
      await expect(result.getByTestId("skip-trace-charged")).not.toHaveText("$0.00");
    } else {
      await expect(result.getByTestId("skip-trace-charged")).toBeVisible();
    }
    await dialog.getByRole("button", { name: "Done" }).click();
    await expect(dialog).toBeHidden();
  }
  expect(matched, "one of six sandbox addresses gives a best phone").toBe(true);

  // The lead refreshed: phones with the best one starred, and the run in the history.
  const phones = page.locator("section", { has: page.getByRole("heading", { name: "Phones", exact: true }) });
  await expect(phones.getByRole("row").filter({ hasText: "Best phone" })).toContainText(SANDBOX_PHONE);
  await expect(phones.getByRole("row").filter({ hasText: "Best phone" })).toContainText("Mobile");
  const record = page.getByTestId("skip-trace-record");
  await expect(record).toHaveCount(1);
  await expect(record).toContainText("Matched");
  await expect(record).toContainText("Sandbox");
  await expect(record).toContainText("Simulated");
  await record.getByRole("button", { name: "Show persons" }).click();
  await expect(record).toContainText(SANDBOX_PHONE);

  // Line types can be checked with (sandbox) Twilio Lookup.
  const phoneCount = await phones.getByRole("row").count();
  await phones.getByRole("button", { name: "Validate line types" }).click();
  await expect(phones.getByRole("status")).toContainText(`${phoneCount - 1} checked`);

  // Tracing again is refused unless insisted on.
  await page.getByRole("button", { name: "Skip trace", exact: true }).click();
  await expect(dialog.getByTestId("traced-recently")).toContainText("Traced recently");
  const confirm = dialog.getByRole("button", { name: /^Skip trace \(/ });
  await expect(confirm).toBeDisabled();
  await dialog.getByRole("checkbox", { name: "Trace again anyway" }).check();
  await expect(confirm).toBeEnabled();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
});

test("a manager bulk skip traces 20 leads and watches the job finish", async ({ page }) => {
  const token = uniqueToken();
  // 18 ordinary addresses and 2 that the sandbox never matches.
  const streets = Array.from({ length: 20 }, (_, i) => `${300 + i * 2} ${token} ${i < 2 ? "Nomatch Road" : "Cedar Lane"}`);
  const responses = await Promise.all(
    streets.map((street) =>
      page.request.post("/api/trpc/leads.create", { data: { json: { addressLine1: street, city: "Austin", state: "TX", zip: "78702" } } }),
    ),
  );
  for (const response of responses) expect(response.ok()).toBe(true);

  await page.goto(`/leads?q=${token}`);
  await expect(page.getByTestId("lead-count")).toContainText("of 20 leads");
  await page.getByRole("checkbox", { name: "Select all leads on this page" }).check();
  await expect(page.getByTestId("lead-count")).toHaveText("20 selected");

  await page.getByRole("button", { name: "Skip trace…" }).click();
  const dialog = page.getByRole("dialog", { name: "Skip trace 20 leads" });
  await expect(dialog.getByTestId("bulk-max-cost")).toContainText(/20 × \d+¢/);
  await expect(dialog).toContainText("traced in the last 90 days are skipped");
  await expect(dialog).toContainText("without a usable address are skipped");
  await dialog.getByRole("button", { name: "Start skip trace" }).click();

  await expect(page).toHaveURL(/\/leads\/skip-trace\?job=/);
  await expect(page.getByRole("heading", { level: 1, name: "Bulk skip trace" })).toBeVisible();
  await expect(page.getByRole("progressbar")).toHaveAttribute("aria-valuemax", "20");
  await expect(page.getByTestId("job-progress-text")).toContainText("20 of 20", { timeout: 20_000 });
  await expect(page.getByTestId("job-status")).toHaveText("Completed");
  await expect(page.getByTestId("job-summary")).toContainText("Skip trace finished");

  const count = async (id: string) => Number((await page.getByTestId(id).innerText()).replace(/,/g, ""));
  const matched = await count("count-matched");
  const noMatch = await count("count-no-match");
  const failed = await count("count-failed");
  const recent = await count("count-skipped-recent");
  const noAddress = await count("count-skipped-no-address");
  expect(matched + noMatch + failed + recent + noAddress).toBe(20);
  expect(noMatch).toBeGreaterThanOrEqual(2);
  expect(matched).toBeGreaterThan(0);
  await expect(page.getByTestId("job-cost")).not.toHaveText("$0.00");
  await expect(page.getByTestId("skip-trace-jobs")).toBeVisible();
});
