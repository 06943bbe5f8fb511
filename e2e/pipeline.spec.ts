import { expect, test, type Page } from "./fixtures";
import { navLink, signInAs } from "./helpers";

// The leads are made through the API (leads.create, manual source) rather than a sandbox search,
// which would spend the demo org's shared daily search budget. Every test makes its own leads with
// a unique word in the address, in a ZIP no other spec uses, and filters the board on that word,
// so the counts it checks are its own whatever else is in the org.
const ZIP = "10001";

async function createLeads(page: Page, count: number): Promise<{ token: string; addresses: string[] }> {
  const token = `pipe${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const addresses: string[] = [];
  for (let i = 0; i < count; i++) {
    const addressLine1 = `${101 + i} ${token} ${["Alpha", "Beta", "Gamma"][i % 3]} St`;
    const response = await page.request.post("/api/trpc/leads.create", {
      data: { json: { addressLine1, city: "New York", state: "NY", zip: ZIP, ownerName: `Owner ${i + 1} ${token}` } },
    });
    expect(response.ok(), await response.text()).toBe(true);
    addresses.push(addressLine1);
  }
  return { token, addresses };
}

const column = (page: Page, status: string) => page.getByTestId(`column-${status}`);
const card = (page: Page, status: string, address: string) => column(page, status).getByRole("article", { name: address, exact: true });

async function expectCounts(page: Page, counts: Record<string, number>) {
  for (const [status, value] of Object.entries(counts)) {
    await expect(column(page, status).getByTestId("column-count")).toHaveText(String(value));
  }
}

/** Resolves when the server has answered a status change. */
function statusSaved(page: Page) {
  return page.waitForResponse((response) => /\/api\/trpc\/[^?]*leads\.update/.test(response.url()) && response.request().method() === "POST");
}

test.beforeEach(async ({ page }) => {
  await signInAs(page);
  await expect(page.getByTestId("org-name")).toBeVisible();
});

test("drag a lead from New to Contacted with the mouse; it persists and the counts follow", async ({ page }) => {
  const { token, addresses } = await createLeads(page, 3);
  const [first, second, third] = addresses as [string, string, string];

  await navLink(page, "Pipeline").click();
  await expect(page).toHaveURL(/\/pipeline$/);
  await expect(page.getByRole("heading", { name: "Pipeline", level: 1 })).toBeVisible();
  // The free-text filter lives in the URL.
  await page.getByRole("searchbox", { name: "Search" }).fill(token);
  await expect(page).toHaveURL(new RegExp(`[?&]q=${token}`));
  await expect(page.getByTestId("pipeline-total")).toContainText("3 leads match");
  await expectCounts(page, { new: 3, contacted: 0 });
  // Most recently touched first.
  await expect(column(page, "new").getByTestId("pipeline-card")).toHaveText([new RegExp(third), new RegExp(second), new RegExp(first)]);
  await expect(column(page, "contacted")).toContainText("No leads match the filters.");

  // A real pointer drag: press, move past the activation distance, travel, release.
  const saved = statusSaved(page);
  const from = (await card(page, "new", second).boundingBox())!;
  const to = (await column(page, "contacted").boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + 12);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 20, from.y + 20, { steps: 4 });
  await page.mouse.move(to.x + to.width / 2, to.y + 100, { steps: 12 });
  await page.mouse.up();

  // Optimistic: moved and counted at once.
  await expect(card(page, "contacted", second)).toBeVisible();
  await expect(card(page, "new", second)).toHaveCount(0);
  await expectCounts(page, { new: 2, contacted: 1 });

  // Persisted.
  expect((await saved).ok()).toBe(true);
  await page.reload();
  await expect(card(page, "contacted", second)).toBeVisible();
  await expect(card(page, "new", second)).toHaveCount(0);
  await expectCounts(page, { new: 2, contacted: 1 });
  await expect(page.getByRole("searchbox", { name: "Search" })).toHaveValue(token);
});

test("move leads without a mouse: keyboard drag and the Move to menu", async ({ page }) => {
  const { token, addresses } = await createLeads(page, 3);
  const [first, second] = addresses as [string, string, string];
  await page.goto(`/pipeline?q=${token}`);
  await expectCounts(page, { new: 3, replied: 0, interested: 0 });

  // Keyboard drag: focus the handle, Space to pick up, → → to Replied, Space to drop. dnd-kit's
  // screen-reader announcements say where the card is at each step.
  let saved = statusSaved(page);
  const announcement = page.locator('[id^="DndLiveRegion"]');
  await card(page, "new", first).getByRole("button", { name: `Drag ${first}` }).focus();
  await page.keyboard.press("Space");
  await expect(announcement).toHaveText(/^(Picked up .*|.* is over New\.)$/);
  await page.keyboard.press("ArrowRight");
  await expect(announcement).toHaveText(`${first} is over Contacted.`);
  await page.keyboard.press("ArrowRight");
  await expect(announcement).toHaveText(`${first} is over Replied.`);
  await page.keyboard.press("Space");
  await expect(announcement).toHaveText(`${first} was moved from New to Replied.`);
  await expect(card(page, "replied", first)).toBeVisible();
  // Focus follows the card to its new column.
  await expect(card(page, "replied", first).getByRole("button", { name: `Drag ${first}` })).toBeFocused();
  await expectCounts(page, { new: 2, replied: 1 });
  expect((await saved).ok()).toBe(true);

  // Escape cancels a keyboard drag.
  await card(page, "new", second).getByRole("button", { name: `Drag ${second}` }).focus();
  await page.keyboard.press("Space");
  // Picked up before the arrow (CI once pressed it too soon: the card stayed "over New").
  await expect(announcement).toHaveText(/^(Picked up .*|.* is over New\.)$/);
  await page.keyboard.press("ArrowRight");
  await expect(announcement).toHaveText(`${second} is over Contacted.`);
  await page.keyboard.press("Escape");
  await expect(announcement).toHaveText(`Moving ${second} was cancelled. It stays in New.`);
  await expect(card(page, "new", second)).toBeVisible();

  // The Move to menu.
  saved = statusSaved(page);
  await card(page, "new", second).getByLabel(`Move ${second} to`).selectOption({ label: "Interested" });
  await expect(card(page, "interested", second)).toBeVisible();
  await expectCounts(page, { new: 1, replied: 1, interested: 1 });
  expect((await saved).ok()).toBe(true);

  await page.reload();
  await expect(card(page, "replied", first)).toBeVisible();
  await expect(card(page, "interested", second)).toBeVisible();
  await expectCounts(page, { new: 1, replied: 1, interested: 1 });
});

test("a failed move puts the card back and says why", async ({ page }) => {
  const { token, addresses } = await createLeads(page, 1);
  const [address] = addresses as [string];
  await page.goto(`/pipeline?q=${token}`);
  await expectCounts(page, { new: 1, dead: 0 });

  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/api\/trpc\/[^?]*leads\.update/, async (route) => {
    await held;
    await route.fulfill({
      status: 500,
      contentType: "application/json",
      body: JSON.stringify([{ error: { json: { message: "Database unavailable.", code: -32603, data: { code: "INTERNAL_SERVER_ERROR", httpStatus: 500 } } } }]),
    });
  });

  await card(page, "new", address).getByLabel(`Move ${address} to`).selectOption({ label: "Dead" });
  await expect(card(page, "dead", address)).toBeVisible();
  await expectCounts(page, { new: 0, dead: 1 });
  release();

  const toast = page.getByTestId("pipeline-toast");
  await expect(toast).toContainText(`Couldn't move ${address} to Dead: Database unavailable. It is back in New.`);
  await expect(card(page, "new", address)).toBeVisible();
  await expect(card(page, "dead", address)).toHaveCount(0);
  await expectCounts(page, { new: 1, dead: 0 });
  await toast.getByRole("button", { name: "Dismiss" }).click();
  await expect(toast).toHaveCount(0);

  // Nothing was saved.
  await page.unroute(/\/api\/trpc\/[^?]*leads\.update/);
  await page.reload();
  await expect(card(page, "new", address)).toBeVisible();
  await expectCounts(page, { new: 1, dead: 0 });
});
