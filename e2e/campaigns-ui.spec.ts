import { expect, test, type Page } from "./fixtures";
import { DEMO, navLink, signInAs } from "./helpers";
import { freshNumberIn, recipientOpenNow } from "./recipient";

// SMS campaigns (issue 11), through the UI: the leads list's filters saved by name, a campaign
// built on that saved filter (merge fields, live preview, the first-message check and its fix,
// the throttle held to the sender's throughput), the pre-flight's exclusions read reason by
// reason, a launch on the simulated sender and the counters moving to delivered. It texts, so it
// runs in the org-settings project (playwright.config.ts).

/** Undoes what recipientOpenNow() opened for the test that just ran (nothing on most hours). */
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

test("a campaign from a saved filter: preview and fix, pre-flight exclusions, launch on the simulated sender, counters to delivered", async ({ page }) => {
  test.setTimeout(150_000);
  await signInAs(page);
  await expect(page.getByTestId("org-name")).toBeVisible();
  const { place, restore } = await recipientOpenNow();
  restoreWindow = restore;

  // Four leads only this test has: two textable, one without a phone, one whose number opted out.
  const token = `cmp${Date.now().toString(36)}`;
  const lead = async (ownerName: string, n: number) =>
    (await trpc<{ lead: { id: string } }>(page, "leads.create", { addressLine1: `${n} ${token} Campaign St`, city: place.city, state: place.state, zip: place.zip, ownerName })).lead.id;
  const ada = await lead("Ada Reachable", 101);
  const ben = await lead("Ben Reachable", 102);
  await lead("Cy Nophone", 103);
  const di = await lead("Di Optedout", 104);
  for (const id of [ada, ben]) await trpc(page, "leads.addPhone", { leadId: id, number: freshNumberIn(place.areaCode).e164, type: "mobile" });
  const optedOut = freshNumberIn(place.areaCode).e164;
  await trpc(page, "leads.addPhone", { leadId: di, number: optedOut, type: "mobile" });
  await trpc(page, "suppressions.add", { phone: optedOut, evidence: "Asked not to be texted (campaigns e2e)" });

  // The leads list filtered to them; the filter saved by name.
  await page.goto(`/leads?q=${token}`);
  await expect(page.getByTestId("lead-count")).toContainText("of 4 leads");
  const filterName = `Campaign e2e ${token}`;
  await page.getByRole("button", { name: "Save filter" }).click();
  await page.getByLabel("Name of the saved filter").fill(filterName);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByTestId("saved-filter-current")).toContainText(filterName);

  // A selection offers "Text these leads" with the ids in the editor's link.
  await page.getByLabel(`Select 101 ${token} Campaign St`).check();
  await expect(page.getByTestId("text-these-leads")).toHaveAttribute("href", `/campaigns/new?leadIds=${ada}`);
  await page.getByTestId("text-these-leads").click();
  await expect(page.getByTestId("selected-lead-count")).toHaveText("(1 lead)");
  await expect(page.getByRole("radio", { name: /Selected leads/ })).toBeChecked();
  await page.locator("#campaign-template").fill("Hi {{owner_first_name}} - {{brand}}. Reply STOP to opt out.");
  await expect(page.getByTestId("preview-sample")).toHaveCount(1);
  await expect(page.getByTestId("preview-body")).toHaveText(/^Hi Ada - .+\. Reply STOP to opt out\.$/);

  // The campaign editor, from the nav.
  await navLink(page, "Campaigns").click();
  await expect(page.getByRole("heading", { name: "Campaigns", level: 1 })).toBeVisible();
  await page.getByRole("link", { name: "New campaign" }).first().click();
  await expect(page.getByRole("heading", { name: "New campaign", level: 1 })).toBeVisible();
  const campaignName = `Spring offers ${token}`;
  await page.getByLabel("Campaign name").fill(campaignName);
  await page.getByLabel("Saved filter", { exact: true }).selectOption({ label: filterName });

  // A typo in a merge field is flagged; the preview renders the audience's real leads.
  const message = page.locator("#campaign-template");
  await message.fill("Hi {{owner_frist_name}}, would you consider an offer on ");
  await expect(page.getByText("Unknown field {{owner_frist_name}}")).toBeVisible();
  await message.fill("Hi {{owner_first_name|there}}, would you consider an offer on ");
  await page.getByRole("button", { name: "Insert Property street address" }).click();
  await expect(message).toHaveValue("Hi {{owner_first_name|there}}, would you consider an offer on {{property_address}}");
  await expect(page.getByTestId("preview-sample")).toHaveCount(4);
  await expect(page.getByTestId("preview-body").filter({ hasText: "Hi Ada, would you consider an offer on 101" })).toBeVisible();
  await expect(page.getByTestId("template-segments")).toHaveText("1 segment");

  // The first message must name the sender and say how to stop: one click fixes it.
  await expect(page.getByTestId("first-message-problems")).toBeVisible();
  await page.getByRole("button", { name: "Fix", exact: true }).click();
  await expect(message).toHaveValue(/\{\{brand\}\}.*Reply STOP to opt out\.$/);
  await expect(page.getByTestId("first-message-ok")).toBeVisible();
  await expect(page.getByTestId("preview-body").first()).toContainText("Reply STOP to opt out.");

  // The throttle can't exceed the sender's throughput.
  const sender = page.getByLabel("Sender", { exact: true });
  await sender.selectOption((await sender.locator("option", { hasText: "+15005550006" }).getAttribute("value"))!);
  const throttle = page.getByLabel("Throttle (messages per second)", { exact: true });
  await throttle.fill("50");
  await expect(page.getByText(/\+15005550006 sends at most 1 message\/s/)).toBeVisible();
  await throttle.fill("1");
  await expect(page.getByText(/sends at most/)).toHaveCount(0);

  await page.getByRole("button", { name: "Create campaign" }).click();
  await expect(page).toHaveURL(/\/campaigns\/[^/]+$/);
  await expect(page.getByRole("heading", { name: campaignName, level: 1 })).toBeVisible();
  await expect(page.getByTestId("campaign-status")).toHaveText("Draft");
  await expect(page.getByRole("button", { name: "Launch", exact: true })).toBeDisabled();
  await expect(page.getByTestId("launch-blocked")).toHaveText("Run the pre-flight first.");

  // The pre-flight: two eligible, two excluded, each reason with its leads.
  await page.getByRole("button", { name: "Run pre-flight" }).click();
  await expect(page.getByTestId("preflight-eligible")).toHaveText("2");
  await expect(page.getByTestId("preflight-excluded")).toHaveText("2");
  await expect(page.getByTestId("preflight-freshness")).toContainText("Up to date");
  const noPhone = page.getByTestId("exclusion-no_textable_phone");
  await expect(noPhone).toContainText("1");
  await noPhone.getByRole("button").click();
  await expect(page.getByTestId("exclusions-table-no_textable_phone")).toContainText("Cy Nophone");
  const suppressed = page.getByTestId("exclusion-suppressed");
  await suppressed.getByRole("button").click();
  await expect(page.getByTestId("exclusions-table-suppressed")).toContainText("Di Optedout");
  await expect(page.getByTestId("preflight-budget")).toBeVisible();

  // Launch on the simulated sender: the counters move to two sent, then two delivered.
  await page.getByRole("button", { name: "Launch", exact: true }).click();
  const confirm = page.getByTestId("confirm-launch");
  await expect(confirm).toContainText("2 recipients texted right away");
  await confirm.getByRole("button", { name: "Launch now" }).click();
  await expect(page.getByTestId("campaign-status")).toHaveText(/Sending|Completed/);
  await expect(page.getByTestId("stat-sent")).toHaveText("2", { timeout: 30_000 });
  await expect(page.getByTestId("stat-delivered")).toHaveText("2", { timeout: 30_000 });
  await expect(page.getByTestId("campaign-status")).toHaveText("Completed", { timeout: 30_000 });
  await expect(page.getByTestId("rate-delivery")).toHaveText("100%");

  // Each recipient with its message status and decision.
  const adaRow = page.getByTestId("recipient-row").filter({ hasText: "Ada Reachable" });
  await expect(adaRow.getByTestId("recipient-status")).toHaveText("Sent");
  await expect(adaRow.getByTestId("recipient-message-status")).toHaveText("Delivered");
  await expect(adaRow).toContainText("Allowed");
  await expect(page.getByTestId("recipients-export")).toHaveAttribute("href", /\/api\/campaigns\/[^/]+\/recipients\.csv$/);

  // The list shows it with its progress and rates.
  await page.getByRole("link", { name: "← Campaigns" }).click();
  const row = page.getByTestId("campaign-row").filter({ hasText: campaignName });
  await expect(row).toContainText("Completed");
  await expect(row.getByTestId("campaign-progress")).toContainText("2 sent of");
});

/** Textable leads on a saved filter and a draft campaign on it, through the procedures the editor calls. */
async function draftCampaign(page: Page, place: Awaited<ReturnType<typeof recipientOpenNow>>["place"], prefix: string, owners: string[]) {
  const token = `${prefix}${Date.now().toString(36)}`;
  for (const [index, ownerName] of owners.entries()) {
    const { lead } = await trpc<{ lead: { id: string } }>(page, "leads.create", { addressLine1: `${200 + index} ${token} Campaign Ave`, city: place.city, state: place.state, zip: place.zip, ownerName });
    await trpc(page, "leads.addPhone", { leadId: lead.id, number: freshNumberIn(place.areaCode).e164, type: "mobile" });
  }
  const filter = await trpc<{ id: string }>(page, "savedFilters.save", { name: `Campaign e2e ${token}`, filters: { q: token } });
  const settings = (await (await page.request.get("/api/trpc/smsSettings.get")).json()) as { result: { data: { json: { senders: { id: string; value: string }[] } } } };
  const sender = settings.result.data.json.senders.find((s) => s.value === "+15005550006")!;
  const name = `Campaign ${token}`;
  const { id } = await trpc<{ id: string }>(page, "campaigns.create", {
    name,
    template: "Hi {{owner_first_name|there}}, would you sell {{property_address}}? - {{brand}}. Reply STOP to opt out.",
    senderIdentityId: sender.id,
    audience: { kind: "filter", savedFilterId: filter.id },
    allPhones: false,
    scheduledAt: null,
    ratePerSecond: 1,
  });
  return { id, name };
}

test("pause and resume a sending campaign without a duplicate; a reply and a STOP from its recipients show in its counters", async ({ page }) => {
  test.setTimeout(150_000);
  await signInAs(page);
  await expect(page.getByTestId("org-name")).toBeVisible();
  const { place, restore } = await recipientOpenNow();
  restoreWindow = restore;

  // Six textable leads, a saved filter for them and a draft on it.
  const { id } = await draftCampaign(page, place, "cmq", ["Ann", "Bo", "Cal", "Dee", "Eve", "Fay"].map((first) => `${first} Pauser`));

  await page.goto(`/campaigns/${id}`);
  await page.getByRole("button", { name: "Run pre-flight" }).click();
  await expect(page.getByTestId("preflight-eligible")).toHaveText("6");
  await page.getByRole("button", { name: "Launch", exact: true }).click();
  await page.getByTestId("confirm-launch").getByRole("button", { name: "Launch now" }).click();

  // Pause once the first texts went: the campaign stops with recipients still waiting.
  await expect(page.getByTestId("stat-sent")).toHaveText(/^[1-4]$/, { timeout: 20_000 });
  await page.getByRole("button", { name: "Pause" }).click();
  await expect(page.getByTestId("campaign-status")).toHaveText("Paused");
  await expect(page.getByText("Paused: nothing is sent until you resume.")).toBeVisible();
  // A send already decided may land; after that the count holds still.
  await page.waitForTimeout(2_500);
  await page.reload();
  const held = Number(await page.getByTestId("stat-sent").textContent());
  await page.waitForTimeout(2_500);
  await page.reload();
  await expect(page.getByTestId("stat-sent")).toHaveText(String(held));
  expect(held).toBeLessThan(6);
  expect(Number(await page.getByTestId("stat-pending").textContent())).toBe(6 - held);

  // Resume: the rest go out, each recipient exactly once.
  await page.getByRole("button", { name: "Resume" }).click();
  await expect(page.getByTestId("campaign-status")).toHaveText(/Sending|Completed/);
  await expect(page.getByTestId("campaign-status")).toHaveText("Completed", { timeout: 30_000 });
  await expect(page.getByTestId("stat-sent")).toHaveText("6");
  await expect(page.getByTestId("stat-delivered")).toHaveText("6", { timeout: 30_000 });
  await expect(page.getByTestId("recipient-row")).toHaveCount(6);
  await expect(page.getByTestId("recipient-message-status").filter({ hasText: "Delivered" })).toHaveCount(6, { timeout: 20_000 });

  // A recipient replies and another texts STOP (simulated, from their lead pages).
  for (const [owner, reply] of [["Ann Pauser", "Yes, I might sell. Call me."], ["Bo Pauser", "STOP"]] as const) {
    await page.getByTestId("recipient-row").filter({ hasText: owner }).getByRole("link", { name: owner }).click();
    const panel = page.locator("details", { hasText: "Simulate reply" });
    await panel.locator("summary").click();
    await panel.getByRole("button", { name: reply, exact: true }).click();
    await expect(page.getByTestId("simulated-outcome")).toBeVisible();
    await page.goto(`/campaigns/${id}`);
  }
  await expect(page.getByTestId("stat-replied")).toHaveText("2");
  await expect(page.getByTestId("stat-optedOut")).toHaveText("1");
  await expect(page.getByTestId("rate-optOut")).toHaveText("17%");
  await expect(page.getByTestId("recipient-row").filter({ hasText: "Ann Pauser" })).toContainText("Replied");
});

test("the SMS kill switch halts a sending campaign with its message on the page; a user reads it without controls; resumed, it finishes", async ({ page, browser }) => {
  test.setTimeout(150_000);
  await signInAs(page);
  await expect(page.getByTestId("org-name")).toBeVisible();
  const { place, restore } = await recipientOpenNow();
  const release = () => trpc(page, "killSwitches.set", { kind: "sms", engaged: false, reason: "campaigns e2e: texting back on" });
  restoreWindow = async () => {
    await release();
    await restore();
  };
  const { id, name } = await draftCampaign(page, place, "cmk", ["Gus", "Hal", "Ivy", "Jo", "Kim", "Lou"].map((first) => `${first} Halter`));

  await page.goto(`/campaigns/${id}`);
  await page.getByRole("button", { name: "Run pre-flight" }).click();
  await expect(page.getByTestId("preflight-eligible")).toHaveText("6");
  await page.getByRole("button", { name: "Launch", exact: true }).click();
  await page.getByTestId("confirm-launch").getByRole("button", { name: "Launch now" }).click();
  await expect(page.getByTestId("stat-sent")).toHaveText(/^[1-4]$/, { timeout: 20_000 });

  // An admin switches texting off: the campaign halts and says why, prominently.
  await trpc(page, "killSwitches.set", { kind: "sms", engaged: true, reason: "campaigns e2e: texting off" });
  await expect(page.getByTestId("campaign-status")).toHaveText("Halted", { timeout: 15_000 });
  await expect(page.getByTestId("halt-message")).toContainText("Halted:");
  await expect(page.getByText("Nothing more is sent until the cause is cleared and the campaign is resumed.")).toBeVisible();

  // A user (not a manager) reads the same page and the list, with no control to act.
  const userContext = await browser.newContext();
  const user = await userContext.newPage();
  await signInAs(user, { email: "user@leadflow.test", password: DEMO.password });
  await user.goto(`/campaigns/${id}`);
  await expect(user.getByTestId("halt-message")).toContainText("Halted:");
  await expect(user.getByTestId("stat-recipients")).toHaveText("6");
  await expect(user.getByRole("group", { name: "Campaign actions" })).toHaveCount(0);
  await expect(user.getByRole("button", { name: "Resume" })).toHaveCount(0);
  await user.goto("/campaigns");
  await expect(user.getByTestId("campaign-row").filter({ hasText: name })).toContainText("Halted");
  await expect(user.getByRole("link", { name: "New campaign" })).toHaveCount(0);
  await user.goto("/campaigns/new");
  await expect(user.getByTestId("role-required")).toContainText("You need a manager or admin role to open New campaign");
  await expect(user.getByRole("link", { name: "Back to Campaigns" })).toHaveAttribute("href", "/campaigns");
  await userContext.close();

  // Texting back on, the manager resumes: every recipient is handled once.
  await release();
  await page.getByRole("button", { name: "Resume" }).click();
  await expect(page.getByTestId("campaign-status")).toHaveText("Completed", { timeout: 30_000 });
  await expect(page.getByTestId("halt-message")).toHaveCount(0);
  const sent = Number(await page.getByTestId("stat-sent").textContent());
  const skipped = Number(await page.getByTestId("stat-skipped").textContent());
  expect(sent + skipped).toBe(6);
  await expect(page.getByTestId("recipient-row")).toHaveCount(6);
});
