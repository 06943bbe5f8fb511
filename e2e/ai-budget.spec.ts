import { expect, test, type Page } from "./fixtures";
import { signInAs, waitForHydration } from "./helpers";

// Visible only: CI once saw a hidden second copy (the server's streamed segment) beside the hydrated card after a reload.
const aiSwitch = (page: Page) => page.getByTestId("kill-switch-ai").filter({ visible: true });

// OpenAI is a paid provider like the others: its own budget (cap and price per AI request) and its own kill switch.
test("an admin sets the AI budget and stops AI assistance with the kill switch, then turns it back on", async ({ page }) => {
  await signInAs(page);
  await page.goto("/settings/budgets");
  await waitForHydration(page);
  const form = page.getByRole("form", { name: "OpenAI (AI assistance) budget" });
  await expect(page.getByRole("progressbar", { name: "OpenAI (AI assistance): spend today" })).toBeVisible();
  await form.getByLabel("Daily cap (US dollars)").fill("7.50");
  await form.getByRole("button", { name: "Save", exact: true }).click();
  await expect(form).toContainText("Saved. The cap is now $7.50 a day");
  await expect(form).toContainText("per AI request");
  await page.reload();
  await expect(page.getByRole("progressbar", { name: "OpenAI (AI assistance): spend today" })).toHaveAttribute("aria-valuemax", "750");

  await page.goto("/settings/kill-switches");
  await waitForHydration(page);
  const ai = aiSwitch(page);
  await expect(ai).toContainText("AI assistance (OpenAI)");
  await expect(ai).toContainText("On — working");
  await ai.getByRole("button", { name: "Stop AI assistance" }).click();
  await ai.getByLabel("Reason (kept in the audit log)").fill("Reviewing the AI bill");
  await ai.getByRole("button", { name: "Yes, stop AI assistance" }).click();
  await expect(ai).toContainText("Off — stopped");
  await expect(ai).toContainText("Reviewing the AI bill");
  await page.reload();
  await expect(aiSwitch(page)).toContainText("Off — stopped");

  // Leave the demo organization as it was.
  await waitForHydration(page);
  await aiSwitch(page).getByRole("button", { name: "Turn AI assistance back on" }).click();
  await aiSwitch(page).getByLabel("Reason (kept in the audit log)").fill("Bill reviewed");
  await aiSwitch(page).getByRole("button", { name: "Yes, turn AI assistance on" }).click();
  await expect(aiSwitch(page)).toContainText("On — working");
  await page.goto("/settings/budgets");
  await waitForHydration(page);
  await page.getByRole("form", { name: "OpenAI (AI assistance) budget" }).getByRole("button", { name: "Reset to defaults and save" }).click();
  await expect(page.getByRole("form", { name: "OpenAI (AI assistance) budget" })).toContainText("Back to the defaults");
});
