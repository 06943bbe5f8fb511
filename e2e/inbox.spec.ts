import { expect, test, type Page } from "./fixtures";
import { signInAs, waitForHydration } from "./helpers";
import { freshNumberIn, recipientOpenNow } from "./recipient";

// The inbox (issue 12 item 2) in two browser contexts of the demo organization: a simulated reply
// in one appears live in the other's thread list and nav badge (no reload); a reply from the
// inbox goes out and is delivered; a STOPped thread refuses a reply with the reason. It texts, so
// it runs in the org-settings project (playwright.config.ts).

let restoreWindow: (() => Promise<void>) | undefined;
test.afterEach(async () => {
  await restoreWindow?.();
  restoreWindow = undefined;
});

async function trpc<T>(page: Page, path: string, input: unknown): Promise<T> {
  const response = await page.request.post(`/api/trpc/${path}`, { data: { json: input } });
  expect(response.ok(), `${path}: ${await response.text()}`).toBe(true);
  return ((await response.json()) as { result: { data: { json: T } } }).result.data.json;
}

/** The nav badge's count (the desktop nav's; the phone nav renders the same one hidden). */
async function badgeCount(page: Page): Promise<number> {
  return Number(await page.getByTestId("inbox-unread-badge").first().getAttribute("data-count"));
}

async function simulateOnLeadPage(page: Page, reply: string) {
  const card = page.locator("section").filter({ has: page.getByRole("heading", { name: "Texts", exact: true }) });
  const panel = card.locator("details", { hasText: "Simulate reply" });
  if (!(await panel.evaluate((el) => (el as HTMLDetailsElement).open))) await panel.locator("summary").click();
  await panel.getByRole("button", { name: reply, exact: true }).click();
  await expect(card.getByTestId("simulated-outcome")).toBeVisible();
}

test("a simulated reply appears live in another browser's inbox and badge; a reply from the inbox is delivered; a STOPped thread refuses with the reason", async ({ page, browser }) => {
  test.setTimeout(150_000);
  const { place, restore } = await recipientOpenNow();
  restoreWindow = restore;

  // Browser B: the inbox, open before anything happens, listening.
  await signInAs(page);
  // The link's name carries the unread count ("Inbox 3 unread conversations").
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Inbox/ }).first().click();
  await expect(page.getByRole("heading", { name: "Inbox", level: 1 })).toBeVisible();
  await waitForHydration(page);

  // A lead only this test has, with a fresh mobile number at a place where texting is allowed now.
  const token = `inb${Date.now().toString(36)}`;
  const owner = `Ines ${token}`;
  const { lead } = await trpc<{ lead: { id: string } }>(page, "leads.create", { addressLine1: `12 ${token} Inbox St`, city: place.city, state: place.state, zip: place.zip, ownerName: owner });
  const number = freshNumberIn(place.areaCode).e164;
  await trpc(page, "leads.addPhone", { leadId: lead.id, number, type: "mobile" });
  const before = await badgeCount(page);

  // Browser A: the lead page's "Simulate reply".
  const contextA = await browser.newContext();
  const pageA = await contextA.newPage();
  try {
    await signInAs(pageA);
    await pageA.goto(`/leads/${lead.id}`);
    await simulateOnLeadPage(pageA, "Yes, I might sell. Call me.");

    // B, without a reload: the thread is at the top of the list, unread, and the badge counted it.
    const row = page.getByTestId("inbox-thread").filter({ hasText: owner });
    await expect(row).toBeVisible();
    await expect(row).toHaveAttribute("data-unread", "1");
    await expect(row).toContainText("Yes, I might sell");
    await expect(page.getByTestId("inbox-thread").first()).toContainText(owner);
    await expect.poll(() => badgeCount(page)).toBe(before + 1);

    // B opens it (read: the badge goes back) and replies from the inbox.
    await row.click();
    const thread = page.getByTestId("inbox-open-thread");
    await expect(thread.getByTestId("inbox-message").filter({ hasText: "Yes, I might sell" })).toHaveAttribute("data-direction", "inbound");
    await expect.poll(() => badgeCount(page)).toBe(before);
    await expect(thread.getByTestId("reply-allowed")).toBeVisible();
    const box = thread.getByLabel("Reply text", { exact: true });
    await box.fill("Thanks {{owner_first_name}}! When is a good time to call?");
    await expect(thread.getByTestId("reply-preview")).toContainText("Thanks Ines! When is a good time to call?");
    await expect(thread.getByTestId("reply-segments")).toContainText("1 segment (GSM-7)");
    await thread.getByRole("button", { name: "Send", exact: true }).click();
    await expect(box).toHaveValue("");
    const outbound = thread.locator('[data-testid="inbox-message"][data-direction="outbound"]').filter({ hasText: "Thanks Ines! When is a good time to call?" });
    await expect(outbound).toHaveCount(1);
    // The delivery receipt (the worker posts the simulated status callbacks) arrives live.
    await expect(outbound.getByTestId("delivery-state")).toHaveText("Delivered", { timeout: 20_000 });

    // A: the owner texts STOP. B, live: the thread says it is opted out, and the reply box refuses with the reason.
    await simulateOnLeadPage(pageA, "STOP");
    await expect(thread.getByTestId("thread-opted-out")).toContainText("texted STOP");
    await expect(thread.getByTestId("reply-blocked")).toContainText(/opted out .*texted STOP/i);
    await expect(box).toBeDisabled();
    await expect(thread.getByRole("button", { name: "Send", exact: true })).toBeDisabled();
    // And the server refuses it too, with the reason, sending nothing.
    const threadId = await thread.getAttribute("data-thread-id");
    const refused = await page.request.post("/api/trpc/inbox.reply", { data: { json: { id: threadId, body: "One more question" } } });
    expect(refused.status()).toBe(412);
    expect(await refused.text()).toMatch(/texted STOP/);
    await expect(thread.locator('[data-testid="inbox-message"][data-direction="outbound"]').filter({ hasText: "One more question" })).toHaveCount(0);

    // The opted-out filter finds it.
    await page.getByRole("button", { name: "Opted out", exact: true }).click();
    await expect(page.getByTestId("inbox-thread").filter({ hasText: owner })).toBeVisible();
  } finally {
    await contextA.close();
  }
});

test("the list by keyboard (j/k, Enter, Esc), and a phone's width without horizontal scrolling", async ({ page }) => {
  await signInAs(page);
  const token = `kbd${Date.now().toString(36)}`;
  for (const n of [1, 2]) {
    const { lead } = await trpc<{ lead: { id: string } }>(page, "leads.create", { addressLine1: `${n} ${token} Key St`, city: "New York", state: "NY", zip: "10001", ownerName: `Kay${n} ${token}` });
    const number = freshNumberIn("212").e164;
    await trpc(page, "leads.addPhone", { leadId: lead.id, number, type: "mobile" });
    await trpc(page, "messaging.simulateReply", { leadId: lead.id, phone: number, body: `Reply ${n} from ${token}` });
  }

  await page.goto("/inbox");
  // Typed before hydration, the search can be committed with what hydration left of it (CI once saw 4 threads here).
  await waitForHydration(page);
  await page.getByLabel("Search conversations").fill(token);
  const rows = page.getByTestId("inbox-thread");
  await expect(rows).toHaveCount(2);
  // Newest first: Kay2 texted last.
  await expect(rows.nth(0)).toContainText(`Reply 2 from ${token}`);
  const first = await rows.nth(0).getAttribute("data-thread-id");
  const second = await rows.nth(1).getAttribute("data-thread-id");
  // Keys act outside the search field.
  await page.getByRole("heading", { name: "Inbox", level: 1 }).click();
  await page.keyboard.press("j");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("inbox-open-thread")).toHaveAttribute("data-thread-id", first!);
  await page.getByRole("heading", { name: "Inbox", level: 1 }).click();
  await page.keyboard.press("j");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("inbox-open-thread")).toHaveAttribute("data-thread-id", second!);
  await page.getByRole("heading", { name: "Inbox", level: 1 }).click();
  await page.keyboard.press("k");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("inbox-open-thread")).toHaveAttribute("data-thread-id", first!);
  await page.getByRole("heading", { name: "Inbox", level: 1 }).click();
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("inbox-open-thread")).toHaveCount(0);
  await expect(page).not.toHaveURL(/thread=/);

  // 390 px wide: the list, then an open thread (linked by ?thread=), fit the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await expect(rows.first()).toBeVisible();
  expect(await overflow()).toBeLessThanOrEqual(0);
  await page.goto(`/inbox?thread=${second}`);
  await expect(page.getByTestId("inbox-open-thread").getByTestId("inbox-message").filter({ hasText: `Reply 1 from ${token}` })).toBeVisible();
  expect(await overflow()).toBeLessThanOrEqual(0);
});
