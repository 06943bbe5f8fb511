import { readFileSync } from "node:fs";
import { expect, test } from "./fixtures";
import { DEMO, navLink, signIn } from "./helpers";

/** A number no other run used: 907-7xx-xxxx from the clock (Alaska: no other spec texts there). */
function freshNumber() {
  const digits = String(Date.now() % 1_000_000).padStart(6, "0");
  return { e164: `+19077${digits}`, shown: `(907) 7${digits.slice(0, 2)}-${digits.slice(2)}`, typed: `907-7${digits.slice(0, 2)}-${digits.slice(2)}` };
}
const utcDay = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);

test("do not contact: add with a reason, check it, remove with a reason; a stale registry extract is flagged until a fresh one replaces it; an area code is removed with a reason", async ({ page }) => {
  const number = freshNumber();
  await signIn(page, DEMO.email, DEMO.password);
  await expect(page.getByTestId("org-name")).toBeVisible();
  await navLink(page, "Do not contact").click();
  await expect(page).toHaveURL(/\/compliance\/dnc$/);
  await expect(page.getByRole("heading", { name: "Do not contact", level: 1 })).toBeVisible();

  // Add: a bad number is refused under the field; a good one is listed with its reason.
  const add = page.getByRole("form", { name: "Add a number to the do-not-contact list" });
  await add.getByLabel("Phone number").fill("907-12");
  await add.getByLabel("Reason").fill("Owner called Nov 3: never contact again");
  await add.getByRole("button", { name: "Add to list" }).click();
  await expect(add.getByText(/not a valid US or Canadian phone number/)).toBeVisible();
  await add.getByLabel("Phone number").fill(number.typed);
  await add.getByRole("button", { name: "Add to list" }).click();
  await expect(add.getByRole("status")).toContainText(`${number.shown} is on the do-not-contact list`);
  const row = page.getByTestId(`dnc-${number.e164}`);
  await expect(row).toContainText("Owner called Nov 3: never contact again");
  await expect(row).toContainText("Do not contact");

  // Check a number: listed by the internal list, with the reason.
  const check = page.locator("form").filter({ has: page.getByRole("button", { name: "Check", exact: true }) });
  await check.getByLabel("Phone number").fill(number.e164);
  await check.getByRole("button", { name: "Check", exact: true }).click();
  const answer = page.getByTestId("dnc-check-result");
  await expect(answer).toContainText(`${number.shown}: do not contact`);
  await expect(answer).toContainText("Internal do-not-contact list — Owner called Nov 3: never contact again");

  // The check is kept as evidence: the evidence download has it, newest first.
  const [evidence] = await Promise.all([page.waitForEvent("download"), page.getByTestId("dnc-checks-export").click()]);
  expect(evidence.suggestedFilename()).toMatch(/^dnc-checks-\d{4}-\d{2}-\d{2}\.csv$/);
  const evidenceLines = readFileSync((await evidence.path())!, "utf8").trim().split("\n");
  expect(evidenceLines[0]).toBe("checked_at,phone,result,sources,registry_extract_date,purpose,checked_by,id");
  expect(evidenceLines[1]).toMatch(new RegExp(`^[^,]+,\\${number.e164},listed,internal,[^,]*,manual,${DEMO.email},`));

  // Remove: the reason is required; the row then shows who removed it and why (keyboard only).
  await row.getByRole("button", { name: `Remove ${number.shown} from the do-not-contact list` }).focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByTestId("remove-dnc-dialog");
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Remove from list" }).click();
  await expect(dialog.getByText("Say why this number may be contacted again.")).toBeVisible();
  await dialog.getByLabel("Reason for removal").fill("Signed consent form dated Nov 20, in the deal folder");
  await dialog.getByRole("button", { name: "Remove from list" }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toBeHidden();
  await page.getByLabel("Status").selectOption("removed");
  await expect(row).toContainText("Removed");
  await expect(row).toContainText("Signed consent form dated Nov 20, in the deal folder");
  await expect(row.getByRole("button", { name: /Remove/ })).toHaveCount(0);

  // A registry extract 40 days old: loaded, and flagged stale at the top and on its area code.
  const upload = page.getByRole("form", { name: "Upload a registry extract" });
  const digits = number.e164.slice(2);
  await upload.getByLabel("Extract file").setInputFiles({ name: "907.txt", mimeType: "text/plain", buffer: Buffer.from(`${digits}\r\n9072220002\r\n9072220002\r\n5125550100\r\n`) });
  await expect(upload.getByLabel("Area code")).toHaveValue("907");
  await upload.getByLabel("Extract date").fill(utcDay(40));
  await upload.getByRole("button", { name: "Upload and replace this area code" }).click();
  await expect(page.getByTestId("dnc-upload-result")).toContainText("Area code 907: 2 numbers loaded");
  await expect(upload).toContainText("1 line was not a number of this area code");
  await expect(page.getByTestId("dnc-stale-warning")).toContainText("stale for area code 907");
  await expect(page.getByTestId("dnc-area-907")).toContainText("Stale · 40 days");

  // The removed number is still listed by the registry, and the answer says the extract is stale.
  await check.getByLabel("Phone number").fill(number.typed);
  await check.getByRole("button", { name: "Check", exact: true }).click();
  await expect(answer).toContainText("National DNC Registry");
  await expect(answer).toContainText("40 days old, stale");

  // A fresh extract replaces the area code: the warning goes away.
  await upload.getByLabel("Extract file").setInputFiles({ name: "907.txt", mimeType: "text/plain", buffer: Buffer.from("9072220003\n") });
  await upload.getByLabel("Extract date").fill(utcDay(0));
  await upload.getByRole("button", { name: "Upload and replace this area code" }).click();
  await expect(page.getByTestId("dnc-upload-result")).toContainText("Area code 907: 1 number loaded");
  await expect(page.getByTestId("dnc-stale-warning")).toBeHidden();
  await expect(page.getByTestId("dnc-area-907")).toContainText("Fresh · 0 days");

  // An admin takes the area code out, with a reason.
  await page.getByRole("button", { name: "Remove area code 907 from the registry data" }).click();
  const removeArea = page.getByTestId("remove-area-code-dialog");
  await removeArea.getByLabel("Reason").fill("Our subscription no longer includes 907");
  await removeArea.getByRole("button", { name: "Remove area code" }).click();
  await expect(removeArea).toBeHidden();
  await expect(page.getByTestId("dnc-area-907")).toBeHidden();
});
