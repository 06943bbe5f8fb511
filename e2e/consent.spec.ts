import { readFileSync } from "node:fs";
import { expect, test } from "./fixtures";
import { navLink, signInAs } from "./helpers";

/** A number no other run used: 646-8xx-xxxx from the clock. */
function freshNumber() {
  const digits = String(Date.now() % 1_000_000).padStart(6, "0");
  return { e164: `+16468${digits}`, shown: `(646) 8${digits.slice(0, 2)}-${digits.slice(2)}`, typed: `646.8${digits.slice(0, 2)}.${digits.slice(2)}` };
}

test("consent log: the setting, record a consent with its evidence, filter, export the log as CSV", async ({ page }) => {
  const number = freshNumber();
  await signInAs(page);
  await expect(page.getByTestId("org-name")).toBeVisible();
  await navLink(page, "Consent log").click();
  await expect(page).toHaveURL(/\/compliance\/consent$/);
  await expect(page.getByRole("heading", { name: "Consent log", level: 1 })).toBeVisible();

  // The organization setting: off by default here, switched on and back off by the admin.
  const toggle = page.getByTestId("require-consent-toggle");
  await expect(toggle).not.toBeChecked();
  const saved = () => page.waitForResponse((r) => r.url().includes("consent.updateSettings") && r.ok());
  await Promise.all([saved(), toggle.check()]);
  await expect(toggle).toBeChecked();
  await page.reload();
  await expect(page.getByTestId("require-consent-toggle")).toBeChecked();
  await Promise.all([saved(), page.getByTestId("require-consent-toggle").uncheck()]);
  await page.reload();
  await expect(page.getByTestId("require-consent-toggle")).not.toBeChecked();
  // The second setting: registry-listed numbers only with express written consent (off by default).
  const dncToggle = page.getByTestId("dnc-consent-toggle");
  await expect(dncToggle).not.toBeChecked();
  await Promise.all([saved(), dncToggle.check()]);
  await page.reload();
  await expect(page.getByTestId("dnc-consent-toggle")).toBeChecked();
  await expect(page.getByTestId("require-consent-toggle")).not.toBeChecked();
  await Promise.all([saved(), page.getByTestId("dnc-consent-toggle").uncheck()]);

  // Record: a bad number and missing evidence are refused next to their fields.
  const form = page.getByRole("form", { name: "Record a consent" });
  await form.getByLabel("Phone number").fill("555-12");
  await form.getByRole("button", { name: "Record consent" }).click();
  await expect(form.getByText(/Describe the evidence/)).toBeVisible();
  await form.getByLabel("Evidence").fill("Checked 'I agree to receive texts' on the seller form");
  await form.getByRole("button", { name: "Record consent" }).click();
  await expect(form.getByText(/not a valid US or Canadian phone number/)).toBeVisible();

  await form.getByLabel("Phone number").fill(number.typed);
  await form.getByLabel("Type of consent").selectOption("verbal");
  await form.getByLabel("Document reference (optional)").fill("call-recording-4471");
  await form.getByLabel("When it was given").fill("2026-11-02T10:30");
  await form.getByRole("button", { name: "Record consent" }).click();
  await expect(form.getByRole("status")).toContainText(`Verbal consent recorded for ${number.shown}`);

  // The log shows it; the phone filter narrows to it.
  await page.getByLabel("Phone contains").fill(number.e164.slice(5));
  const table = page.getByTestId("consent-table");
  await expect(table.locator("tbody tr")).toHaveCount(1);
  await expect(table).toContainText(number.shown);
  await expect(table).toContainText("Verbal consent");
  await expect(table).toContainText("Document: call-recording-4471");
  await page.getByLabel("Event").selectOption("revoked");
  await expect(page.getByTestId("consent-empty")).toBeVisible();
  await page.getByLabel("Event").selectOption("");
  await expect(table.locator("tbody tr")).toHaveCount(1);

  // Export what the log shows, as a CSV download.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("consent-export").click()]);
  expect(download.suggestedFilename()).toMatch(/^consent-log-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = readFileSync((await download.path())!, "utf8").trim().split("\n");
  expect(lines[0]).toBe("occurred_at,phone,type,source,evidence,document_ref,lead_id,lead,recorded_by,recorded_at,event_id");
  expect(lines.slice(1)).toHaveLength(1);
  expect(lines[1]).toMatch(new RegExp(`^\\d{4}-11-02T\\d\\d:30:00\\.000Z,\\${number.e164},verbal,recorded,`));
  expect(lines[1]).toContain("call-recording-4471");
  expect(lines[1]).toContain("demo@leadflow.test");
});
