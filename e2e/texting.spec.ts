import { expect, test, type Page } from "./fixtures";
import { signInAs } from "./helpers";
import { freshNumberIn, placeOpenNow, PLACES, recipientOpenNow, type Place } from "./recipient";

/** A lead at a place whose local time allows texting now (e2e/recipient.ts), with a fresh number there. */
async function leadWithPhone(page: Page, place: Place = placeOpenNow() ?? PLACES[0]) {
  const token = `txt${Date.now().toString(36)}`;
  const response = await page.request.post("/api/trpc/leads.create", {
    data: { json: { addressLine1: `${Math.floor(Math.random() * 900) + 100} ${token} Text St`, city: place.city, state: place.state, zip: place.zip, ownerName: "Morgan Texter" } },
  });
  expect(response.ok(), await response.text()).toBe(true);
  const body = (await response.json()) as { result: { data: { json: { lead: { id: string } } } } };
  await page.goto(`/leads/${body.result.data.json.lead.id}`);
  const { typed } = freshNumberIn(place.areaCode);
  const phone = { typed, shown: typed };
  await page.getByLabel("Add a phone").fill(phone.typed);
  await page.getByRole("button", { name: "Add phone" }).click();
  // The number's cell (the phone's actions are in a cell of their own that names it too).
  await expect(page.getByRole("cell", { name: new RegExp(phone.shown.replace(/[()]/g, "\\$&")) }).first()).toBeVisible();
  return { ...phone, areaCode: place.areaCode, leadUrl: page.url() };
}

function texts(page: Page) {
  return page.locator("section").filter({ has: page.getByRole("heading", { name: "Texts", exact: true }) });
}

/** The organization's keyword replies as configured now (another spec may have edited them), filled in. */
async function keywordReplies(page: Page): Promise<{ help: string; optOut: string }> {
  const response = await page.request.get("/api/trpc/smsSettings.get");
  expect(response.ok(), await response.text()).toBe(true);
  type Settings = { texts: { help: string; optOut: string }; identity: { brand: string; contact: string } };
  const settings = ((await response.json()) as { result: { data: { json: Settings } } }).result.data.json;
  const fill = (template: string) => template.replaceAll("{brand}", settings.identity.brand).replaceAll("{contact}", settings.identity.contact).trim();
  return { help: fill(settings.texts.help), optOut: fill(settings.texts.optOut) };
}

async function simulate(page: Page, reply: string) {
  const card = texts(page);
  const panel = card.locator("details", { hasText: "Simulate reply" });
  if (!(await panel.evaluate((el) => (el as HTMLDetailsElement).open))) await panel.locator("summary").click();
  await panel.getByRole("button", { name: reply, exact: true }).click();
}

/** Undoes what recipientOpenNow() opened for the test that just ran (nothing on most hours). */
let restoreWindow: (() => Promise<void>) | undefined;
test.afterEach(async () => {
  await restoreWindow?.();
  restoreWindow = undefined;
});

test.beforeEach(async ({ page }) => {
  await signInAs(page);
  await expect(page.getByTestId("org-name")).toBeVisible();
});

test("texting a lead: a text goes out and is delivered; HELP gets the help text; STOP opts the phone out with one confirmation and further texts are refused with the reason", async ({ page }) => {
  const replies = await keywordReplies(page);
  const { place, restore } = await recipientOpenNow();
  restoreWindow = restore;
  const phone = await leadWithPhone(page, place);
  const composer = new RegExp(`^Text \\(${phone.areaCode}\\)`);
  const card = texts(page);
  await expect(card.getByText("No texts with this number yet.")).toBeVisible();
  await expect(card.getByText(/Simulated texting/)).toBeVisible();

  // An ordinary text: through the send decision, the ledger and the simulated sender; the worker
  // then posts the simulated status callbacks through the status route.
  await card.getByPlaceholder(composer).fill("Hi Morgan, are you open to an offer on your house?");
  await expect(card.getByText(/1 segment \(GSM-7\)/)).toBeVisible();
  await card.getByRole("button", { name: "Send text" }).click();
  const thread = card.getByTestId("sms-thread");
  const outbound = thread.locator('li[data-direction="outbound"]');
  await expect(outbound).toHaveCount(1);
  await expect(outbound.first()).toContainText("open to an offer");
  await expect(outbound.first()).toContainText("Delivered", { timeout: 20_000 });

  // HELP: the organization's help text with its name and sending number.
  await simulate(page, "HELP");
  await expect(card.getByTestId("simulated-outcome")).toContainText("Help");
  await expect(outbound).toHaveCount(2, { timeout: 20_000 });
  await expect(outbound.nth(1)).toContainText(replies.help);

  // STOP: the phone is opted out at once (same transaction as the webhook), and exactly one
  // confirmation follows, however long we wait.
  await simulate(page, "STOP");
  await expect(card.getByTestId("simulated-outcome")).toContainText("Opt-out");
  await expect(card.getByTestId("phone-opted-out")).toContainText("texted STOP");
  await expect(page.getByRole("table").getByText("Opted out", { exact: true })).toBeVisible();
  await expect(thread.locator('li[data-direction="inbound"]').filter({ hasText: "STOP" })).toHaveCount(1);
  await expect(outbound).toHaveCount(3, { timeout: 20_000 });
  await expect(outbound.nth(2)).toContainText(replies.optOut);
  await page.waitForTimeout(3_000);
  await page.reload();
  await expect(texts(page).getByTestId("sms-thread").locator('li[data-direction="outbound"]').filter({ hasText: replies.optOut })).toHaveCount(1);

  // A further text is refused by the send decision, with the reason.
  const reloaded = texts(page);
  await reloaded.getByPlaceholder(composer).fill("Just checking in again");
  await reloaded.getByRole("button", { name: "Send text" }).click();
  await expect(reloaded.getByTestId("send-refused")).toContainText(/opted out .*texted STOP/i);
  await expect(reloaded.getByTestId("sms-thread").locator('li[data-direction="outbound"]')).toHaveCount(3);
});

test("an ambiguous reply waits in Reply review; one click suppresses the number", async ({ page }) => {
  const phone = await leadWithPhone(page);
  await simulate(page, "Can you stop by tomorrow?");
  await expect(texts(page).getByTestId("simulated-outcome")).toContainText("Needs review");
  await expect(texts(page).getByTestId("phone-opted-out")).toHaveCount(0);

  await page.goto("/compliance/review");
  const item = page.getByTestId("review-item").filter({ hasText: phone.shown });
  await expect(item).toContainText("Can you stop by tomorrow?");
  await item.getByRole("button", { name: "Suppress number" }).click();
  await expect(item).toHaveCount(0);
  await page.getByRole("tab", { name: "Resolved" }).click();
  await expect(page.getByTestId("review-item").filter({ hasText: phone.shown })).toContainText("Suppressed");

  await page.goto(phone.leadUrl);
  await expect(texts(page).getByTestId("phone-opted-out")).toContainText("asked not to be texted");
});
