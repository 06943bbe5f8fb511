import { expect, test } from "./fixtures";
import { DEMO, navLink, signInAs, waitForHydration } from "./helpers";

// Settings → Texting (issue 9 items 2 and 4): an admin adds a sending number, edits the HELP
// reply and sees the preview, and tries a refusal against the reply rules. Issue 10 item 7: a
// manager reads the same page without a control that would be refused; a user is kept out.

const uniqueNumber = () => `+1737${String(2_000_000 + Math.floor(Math.random() * 7_000_000))}`;

test("an admin adds a sender, edits the help text and tries a refusal", async ({ page }) => {
  await signInAs(page);
  await expect(page.getByTestId("org-name")).toBeVisible();
  await page.goto("/settings/texting");
  await expect(page.getByRole("heading", { name: "Texting", level: 1 })).toBeVisible();

  // The demo organization texts out of the box, simulated without Twilio keys.
  await expect(page.getByTestId("texting-mode")).toHaveText("Simulated");
  await expect(page.getByTestId("sender-+15005550006")).toBeVisible();

  // Add a number as people type it; it is stored in E.164.
  const number = uniqueNumber();
  const national = number.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, "($1) $2-$3");
  await page.getByLabel("Add a sender").fill(national);
  await page.getByRole("button", { name: "Add sender" }).click();
  await expect(page.getByTestId(`sender-${number}`)).toBeVisible();
  await expect(page.getByText(`Added ${number}.`)).toBeVisible();

  // Its throughput (messages per second, which caps a campaign's throttle) starts at 1 and is edited in place.
  await expect(page.getByTestId(`sender-rate-${number}`)).toHaveText("1 message/s");
  const rate = page.getByLabel(`Messages per second for ${number}`, { exact: true });
  await rate.fill("0");
  await expect(page.getByTestId(`sender-${number}`).getByText("At least 1 message per second.")).toBeVisible();
  await rate.fill("1001");
  await page.getByRole("button", { name: `Save messages per second for ${number}` }).click();
  await expect(page.getByTestId(`sender-${number}`).getByText("At most 1,000 messages per second.")).toBeVisible();
  await rate.fill("12");
  await page.getByRole("button", { name: `Save messages per second for ${number}` }).click();
  await expect(page.getByTestId(`sender-rate-${number}`)).toHaveText("12 messages/s");

  // A malformed SID is refused with a message under the field.
  await page.getByLabel("Add a sender").fill("MG123");
  await page.getByLabel("Add a sender").press("Enter");
  await expect(page.getByText("MG followed by 32 hexadecimal characters")).toBeVisible();

  // Edit the help text: the preview fills {brand} and counts segments as you type.
  const marker = `Ref ${Date.now() % 100000}`;
  const help = page.getByLabel("Help reply");
  await help.fill(`{brand}: questions? Call {contact}. ${marker}. Reply STOP to opt out.`);
  await expect(page.getByTestId("preview-help")).toHaveText(new RegExp(`^Demo Realty: questions\\? Call \\+15005550006\\. ${marker}\\. Reply STOP to opt out\\.$`));
  await expect(page.getByTestId("segments-help")).toContainText("1 segment");
  await page.getByRole("button", { name: "Save replies" }).click();
  await expect(page.getByText("Saved. New replies use these texts.")).toBeVisible();

  // A help text without {contact} is refused in place.
  await help.fill("{brand}: reply STOP to opt out.");
  await page.getByRole("button", { name: "Save replies" }).click();
  await expect(page.getByText("include {brand} and {contact}")).toBeVisible();

  // After a reload the saved text is what is stored.
  await page.reload();
  await expect(page.getByLabel("Help reply")).toHaveValue(new RegExp(marker));
  await waitForHydration(page);

  // Try a message against the rules.
  await page.getByLabel("An inbound text").fill("please stop texting me");
  const result = page.getByTestId("try-result");
  await expect(result).toContainText("refusal");
  await expect(result).toContainText("refusal-stop-contact");
  await page.getByLabel("An inbound text").fill("HELP");
  await expect(result).toContainText(`Demo Realty: questions? Call +15005550006. ${marker}.`);
});

test("a rule set without STOP is refused and the editor shows why", async ({ page }) => {
  await signInAs(page);
  await expect(page.getByTestId("org-name")).toBeVisible();
  await page.goto("/settings/texting");
  const stopRule = page.getByTestId("rule-keyword-stop");
  await stopRule.locator("summary").click();
  const phrases = stopRule.getByLabel("Phrases (one per line)");
  const original = await phrases.inputValue();
  await phrases.fill(original.split("\n").filter((line) => line !== "stop").join("\n"));
  await page.getByRole("button", { name: "Save rules" }).click();
  await expect(page.getByText("must keep STOP as an opt-out keyword")).toBeVisible();
  await page.getByRole("button", { name: "Discard changes" }).click();
  await expect(page.getByRole("button", { name: "Save rules" })).toBeDisabled();
});

test("a manager reads the texting settings without a control to change them; a user is kept out", async ({ page }) => {
  await signInAs(page, { email: "manager@leadflow.test", password: DEMO.password });
  await expect(page.getByTestId("org-name")).toBeVisible();
  await navLink(page, "Texting").click();
  await expect(page).toHaveURL(/\/settings\/texting$/);
  await expect(page.getByRole("heading", { name: "Texting", level: 1 })).toBeVisible();
  await expect(page.getByText("Only admins can change these.")).toBeVisible();

  // Senders, identity, the HELP text (as stored and as sent) and the rules' phrases are all there.
  await expect(page.getByTestId("sender-+15005550006")).toBeVisible();
  await expect(page.getByTestId("identity-brand")).toContainText("Demo Realty");
  await expect(page.getByTestId("reply-text-help")).toContainText("{brand}");
  await expect(page.getByTestId("preview-help")).toContainText("Demo Realty");
  const stopRule = page.getByTestId("rule-keyword-stop");
  await stopRule.locator("summary").click();
  await expect(stopRule.getByRole("list", { name: "Phrases" }).getByText("stop", { exact: true })).toBeVisible();

  // Nothing to edit: no fields, no save, add or remove buttons.
  for (const name of [/^Save/, /^Add /, /^Remove/, /^Reset/]) await expect(page.getByRole("button", { name })).toHaveCount(0);
  await expect(page.getByLabel("Help reply")).toHaveCount(0);
  await expect(page.getByLabel("Add a sender")).toHaveCount(0);
  await expect(page.getByLabel("Phrases (one per line)")).toHaveCount(0);

  // Trying a message writes nothing, so a manager may.
  await page.getByLabel("An inbound text").fill("HELP");
  await expect(page.getByTestId("try-result")).toContainText("Demo Realty");

  await page.context().clearCookies();
  await signInAs(page, { email: "user@leadflow.test", password: DEMO.password });
  await expect(navLink(page, "Texting")).toHaveCount(0);
  await page.goto("/settings/texting");
  // Told why, with nothing of the page shown.
  await expect(page.getByTestId("role-required")).toContainText("You need a manager or admin role to open Texting");
  await expect(page.getByLabel("An inbound text")).toHaveCount(0);
});
