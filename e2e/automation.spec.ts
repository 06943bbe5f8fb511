import { expect, test } from "./fixtures";
import { navLink, signInAs } from "./helpers";

// Automation (issue 12 items 5–6): an auto-responder rule created from the /automation page is
// listed with what it does, the "what would fire" box names it for a matching reply (and nothing
// for a STOP), and it can be switched off.

test("create an auto-responder rule, see it listed, try it in the test box, turn it off", async ({ page }) => {
  await signInAs(page);
  await expect(page.getByTestId("org-name")).toBeVisible();
  await navLink(page, "Automation").click();
  await expect(page).toHaveURL(/\/automation$/);
  await expect(page.getByRole("heading", { name: "Automation", level: 1 })).toBeVisible();

  const suffix = Date.now().toString(36);
  const name = `Interested ${suffix}`;
  await page.getByTestId("rule-new").click();
  const form = page.getByTestId("rule-form");
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Interested", { exact: true }).check();
  await form.getByLabel(/contains one of these phrases/).fill(`offer ${suffix}`);
  await form.getByLabel("Reply with (optional)").fill("Great {{owner_first_name|there}}! When is a good time to call? - {{brand}}");
  await form.getByLabel("Set the lead's status").selectOption("interested");
  await form.getByRole("button", { name: "Create rule" }).click();

  await expect(page.getByText(`Saved “${name}”.`)).toBeVisible();
  const row = page.getByTestId("rule").filter({ hasText: name });
  await expect(row).toContainText("On");
  await expect(row).toContainText(`reads as interested or contains “offer ${suffix}”`);
  await expect(row).toContainText("set status Interested");

  const tester = page.getByTestId("rule-test");
  await tester.getByLabel("A reply").fill(`what about the offer ${suffix}`);
  await expect(tester.getByTestId("rule-test-result")).toContainText(`${name} fires`);
  await expect(tester.getByTestId("rule-test-result")).toContainText("Great Maria! When is a good time to call?");
  await tester.getByLabel("A reply").fill("STOP");
  await expect(tester.getByTestId("rule-test-result")).toContainText("no automatic reply after an opt-out");

  await row.getByRole("button", { name: `Turn off ${name}` }).click();
  await expect(row).toContainText("Off");
});
