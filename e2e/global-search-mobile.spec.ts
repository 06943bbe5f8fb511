import { expect, test, type Page } from "./fixtures";
import { signInAs, waitForHydration } from "./helpers";

/**
 * Global search (issue 13 item 5: ⌘K / Ctrl-K, or the header's button) and the app on a phone
 * (issue 14 item 13: a nav drawer, the leads filters folded behind a button with their count,
 * lead rows as cards, the lead page's actions under the thumb, no page wider than the screen).
 */

const token = () => `gq${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
/** A number no other lead of the demo organization has: (602) NXX-XXXX. */
function randomPhone() {
  const exchange = 200 + Math.floor(Math.random() * 700);
  const line = String(Math.floor(Math.random() * 10_000)).padStart(4, "0");
  return { typed: `(602) ${exchange}-${line}`, dotted: `602.${exchange}.${line}`, international: `+1 602 ${exchange} ${line}` };
}

/** A lead made through /leads/new, with a phone added on its page; returns its id. */
async function createLeadWithPhone(page: Page, street: string, owner: string, phone: string) {
  await page.goto("/leads/new");
  await page.getByLabel("Street address").fill(street);
  await page.getByLabel("City").fill("Phoenix");
  await page.getByLabel("State").fill("AZ");
  await page.getByLabel("ZIP").fill("85004");
  await page.getByLabel("Owner name").fill(owner);
  await page.getByRole("button", { name: "Create lead" }).click();
  await expect(page).toHaveURL(/\/leads\/(?!new)[^/?]+$/);
  await waitForHydration(page);
  await page.getByLabel("Add a phone").fill(phone);
  await page.getByRole("button", { name: "Add phone" }).click();
  await expect(page.getByTestId("lead-phone")).toHaveCount(1);
  return new URL(page.url()).pathname.split("/").pop()!;
}

async function documentFitsViewport(page: Page, path: string) {
  const { scrollWidth, viewport, widest } = await page.evaluate(() => {
    const viewport = window.innerWidth;
    // What sticks out: the innermost elements whose right edge passes the viewport's, to name in the failure.
    const widest = [...document.querySelectorAll("main *")]
      .filter((element) => element.getBoundingClientRect().right > viewport + 1 && ![...element.children].some((child) => child.getBoundingClientRect().right > viewport + 1))
      .slice(0, 5)
      .map((element) => `<${element.tagName.toLowerCase()} class="${element.getAttribute("class") ?? ""}"> right=${Math.round(element.getBoundingClientRect().right)}`);
    return { scrollWidth: document.documentElement.scrollWidth, viewport, widest };
  });
  // Soft: one run names every page that is too wide.
  expect.soft(scrollWidth, `${path}: document is ${scrollWidth}px wide in a ${viewport}px viewport; sticking out: ${widest.join("; ")}`).toBeLessThanOrEqual(viewport);
}

test.describe("global search", () => {
  test("⌘K finds a lead by its phone typed another way, and Enter opens it", async ({ page }) => {
    await signInAs(page);
    const street = `7 ${token()} Saguaro Way`;
    const phone = randomPhone();
    const id = await createLeadWithPhone(page, street, "Quinn Palmer", phone.typed);

    await page.goto("/");
    await waitForHydration(page);
    await page.keyboard.press("ControlOrMeta+k");
    const dialog = page.getByRole("dialog", { name: "Search" });
    await expect(dialog).toBeVisible();
    const box = dialog.getByRole("combobox", { name: "Search" });
    await expect(box).toBeFocused();
    await box.fill(phone.dotted);
    const listbox = dialog.getByRole("listbox");
    const option = listbox.getByRole("option", { name: new RegExp(street) });
    await expect(option).toBeVisible();
    await expect(option).toContainText(phone.typed);
    // The first result is the active one, announced through aria-activedescendant.
    await expect(option).toHaveAttribute("aria-selected", "true");
    await expect(box).toHaveAttribute("aria-activedescendant", (await option.getAttribute("id"))!);
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`/leads/${id}$`));
    await expect(page.getByRole("heading", { level: 1, name: street })).toBeVisible();
    await expect(dialog).toBeHidden();
  });

  test("the header button opens it; arrows move through leads and pages, Escape closes and gives focus back", async ({ page }) => {
    await signInAs(page);
    const owner = `Owner ${token()}`;
    const phone = randomPhone();
    await createLeadWithPhone(page, `9 ${token()} Ocotillo Rd`, owner, phone.international);
    await page.goto("/leads");
    await waitForHydration(page);
    const button = page.getByRole("button", { name: "Search leads, conversations, campaigns and pages" });
    await button.click();
    const dialog = page.getByRole("dialog", { name: "Search" });
    const box = dialog.getByRole("combobox");
    await box.fill(owner.split(" ")[1]!);
    const options = dialog.getByRole("option");
    await expect(options.first()).toContainText(owner);
    await expect(options.first()).toHaveAttribute("aria-selected", "true");

    // Pages of the nav match by name (the role's own pages only).
    await box.fill("budg");
    await expect(dialog.getByRole("group", { name: "Pages" }).getByRole("option", { name: /Budgets/ })).toBeVisible();
    await box.fill("inbox");
    const pages = dialog.getByRole("group", { name: "Pages" }).getByRole("option");
    await expect(pages.first()).toContainText("Inbox");
    // Other specs' texts may match too and are listed before the pages: arrows move through all options.
    await expect(dialog.getByTestId("global-search-status")).toHaveText(/^\d+ results?/);
    const count = await options.count();
    await page.keyboard.press("ArrowDown");
    await expect(options.nth(count > 1 ? 1 : 0)).toHaveAttribute("aria-selected", "true");
    await page.keyboard.press("ArrowUp");
    await expect(options.first()).toHaveAttribute("aria-selected", "true");

    // Tab stays inside the dialog.
    await page.keyboard.press("Tab");
    await expect(dialog.getByRole("button", { name: "Close search" })).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(box).toBeFocused();

    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(button).toBeFocused();
    await expect(page).toHaveURL(/\/leads$/);
  });
});

test.describe("on a phone (390×844)", () => {
  // Not isMobile: a mobile viewport zooms out to fit a page wider than the screen, which would hide the overflow asserted on below.
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true });

  test("the nav is a drawer, /leads shows cards with folded filters, the lead page has the thumb bar, and no page scrolls sideways", async ({ page }) => {
    await signInAs(page);
    const street = `11 ${token()} Palo Verde Dr`;
    const id = await createLeadWithPhone(page, street, "Rory Vance", randomPhone().typed);

    // The lead page: actions under the thumb.
    const bar = page.getByRole("navigation", { name: "Lead actions" });
    await expect(bar).toBeVisible();
    await expect(bar.getByRole("link", { name: /^Call / })).toHaveAttribute("href", /^tel:\+1602/);
    const saved = page.waitForResponse((response) => response.url().includes("leads.update") && response.request().method() === "POST");
    await bar.getByLabel("Change status").selectOption("contacted");
    expect((await saved).ok()).toBe(true);
    await expect(page.getByTestId("status-select")).toHaveValue("contacted");
    await expect(bar).toContainText("Contacted");
    // Saved, not only shown: a reload reads it back.
    await page.reload();
    await expect(page.getByTestId("status-select")).toHaveValue("contacted");

    // The drawer.
    await page.goto("/");
    await waitForHydration(page);
    await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
    await page.getByRole("button", { name: "Open menu" }).click();
    const drawer = page.getByRole("dialog", { name: "Menu" });
    await expect(drawer).toBeVisible();
    await expect(drawer.getByRole("button", { name: "Close menu" })).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(drawer).toBeHidden();
    await page.getByRole("button", { name: "Open menu" }).click();
    await drawer.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Leads", exact: true }).click();
    await expect(page).toHaveURL(/\/leads$/);
    await expect(drawer).toBeHidden();

    // Cards, not a table; the filters fold behind a button that counts them.
    await expect(page.getByTestId("lead-card").first()).toBeVisible();
    await expect(page.getByRole("table")).toHaveCount(0);
    const folded = page.locator("#lead-filters-more");
    await expect(folded).toBeHidden();
    await page.goto(`/leads?q=${encodeURIComponent(street)}&phone=yes&textable=yes`);
    await waitForHydration(page);
    const card = page.getByTestId("lead-card");
    await expect(card).toHaveCount(1);
    await expect(card).toContainText(street);
    await expect(card).toContainText("Rory Vance");
    await expect(card).toContainText(/Cold|Warm|Hot|On fire/);
    await expect(card).toContainText("Contacted");
    await expect(card.getByTestId("lead-textable")).toHaveText("Textable");
    // Visible only: CI once saw the server's streamed copy of the toolbar still in the DOM (hidden) beside the hydrated one.
    const toggle = page.getByTestId("filters-toggle").filter({ visible: true });
    await expect(toggle.getByTestId("filters-active-count")).toHaveText("2");
    await toggle.click();
    await expect(folded).toBeVisible();
    await expect(folded.getByLabel("Textable")).toHaveValue("yes");
    await card.getByRole("link", { name: street }).click();
    await expect(page).toHaveURL(new RegExp(`/leads/${id}$`));

    // No main page is wider than the screen.
    for (const path of ["/", "/leads", `/leads/${id}`, "/inbox", "/pipeline", "/campaigns", "/automation", "/search", "/compliance/suppressions", "/settings/profile", "/settings/budgets"]) {
      await page.goto(path);
      await waitForHydration(page);
      await page.waitForTimeout(300); // what renders after hydration (the lead cards, charts)
      await documentFitsViewport(page, path);
    }
  });
});
