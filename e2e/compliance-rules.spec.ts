import { readFileSync } from "node:fs";
import { expect, test, type Page } from "./fixtures";
import { DEMO, navLink, signIn } from "./helpers";

// The preview's "At" is typed in the browser's zone: New York, so 19:30 is 19:30 EST in Miami too.
test.use({ timezoneId: "America/New_York" });

async function previewMiami(page: Page) {
  const form = page.getByRole("form", { name: "Decision preview" });
  await form.getByLabel("Property ZIP").fill("33101");
  await form.getByLabel("At (your time)").fill("2026-12-01T19:30");
  await form.getByRole("button", { name: "Preview" }).click();
}

async function saveRules(page: Page) {
  await page.getByRole("button", { name: "Save rules" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved. New decisions use these rules." })).toBeVisible();
}

test("an admin edits the Florida row and the decision preview for a Florida recipient follows it; the decision log exports as CSV", async ({ page }) => {
  await signIn(page, DEMO.email, DEMO.password);
  await expect(page.getByTestId("org-name")).toBeVisible();

  await navLink(page, "Sending rules").click();
  await expect(page.getByRole("heading", { name: "Sending rules", level: 1 })).toBeVisible();
  const weekdays = page.getByTestId("rule-FL").getByLabel("Florida: weekdays");
  await expect(weekdays).toHaveValue("08:00–20:00");
  await expect(page.getByTestId("rule-FL").getByLabel("Florida: source")).toHaveValue("FTSA §501.616(6)");

  // Tuesday 19:30 in Miami: inside Florida's 08:00–20:00.
  await previewMiami(page);
  const result = page.getByTestId("decision-preview-result");
  await expect(result).toContainText("Allowed");
  await expect(result).toContainText("America/New_York (property ZIP 33101");

  // Florida now ends at 19:00: the same text waits for Wednesday 08:00, and Florida's row says why.
  await weekdays.fill("08:00–19:00");
  await saveRules(page);
  await previewMiami(page);
  await expect(result).toContainText("Deferred");
  await expect(result).toContainText("Florida allows 08:00–19:00 on Tuesday");
  await expect(result).toContainText("Wed, Dec 2, 8:00 AM EST");
  await expect(page.getByTestId("decision-preview-rule")).toContainText("Florida");
  await expect(page.getByTestId("decision-preview-rule")).toContainText("FTSA §501.616(6)");

  // Put the demo organization's row back.
  await page.getByTestId("rule-FL").getByLabel("Florida: weekdays").fill("08:00–20:00");
  await saveRules(page);
  await previewMiami(page);
  await expect(result).toContainText("Allowed");

  // The decision log and its CSV export.
  await navLink(page, "Decision log").click();
  await expect(page.getByRole("heading", { name: "Decision log", level: 1 })).toBeVisible();
  await expect(page.getByTestId("decisions-table").or(page.getByTestId("decisions-empty"))).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("decisions-export").click()]);
  expect(download.suggestedFilename()).toMatch(/^send-decisions-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = readFileSync((await download.path())!, "utf8").trim().split("\n");
  expect(lines[0]).toBe("decided_at,phone,kind,outcome,reason,explanation,deferred_until,rule,rule_source,recipient_location,lead_id,actor,campaign_id,message_id,id");
  const rows = await page.getByTestId("decision-row").count();
  expect(lines.length - 1).toBeGreaterThanOrEqual(Math.min(rows, 1));
});
