import { readFileSync } from "node:fs";
import { expect, test } from "./fixtures";
import { navLink, signInAs } from "./helpers";

/** A number no other run used: 646-7xx-xxxx from the clock. */
function freshNumber() {
  const digits = String(Date.now() % 1_000_000).padStart(6, "0");
  return { e164: `+16467${digits}`, shown: `(646) 7${digits.slice(0, 2)}-${digits.slice(2)}`, typed: `646.7${digits.slice(0, 2)}.${digits.slice(2)}` };
}

test("opt-outs: add a number, see it listed, lift it with consent, export the list", async ({ page }) => {
  const number = freshNumber();
  await signInAs(page);
  await expect(page.getByTestId("org-name")).toBeVisible();
  await navLink(page, "Opt-outs").click();
  await expect(page).toHaveURL(/\/compliance\/suppressions$/);
  await expect(page.getByRole("heading", { name: "Opt-outs", level: 1 })).toBeVisible();

  // Add: a bad number is refused next to the field; a good one is listed as opted out.
  const addForm = page.locator("form").filter({ has: page.getByRole("button", { name: "Add to opt-outs" }) });
  await addForm.getByLabel("Phone number").fill("555-12");
  await addForm.getByLabel("Evidence").fill("Called on Nov 3 and asked us to stop texting");
  await addForm.getByRole("button", { name: "Add to opt-outs" }).click();
  await expect(addForm.getByText(/not a valid US or Canadian phone number/)).toBeVisible();

  await addForm.getByLabel("Phone number").fill(number.typed);
  await addForm.getByRole("button", { name: "Add to opt-outs" }).click();
  await expect(addForm.getByRole("status")).toContainText(`${number.shown} is opted out`);
  const row = page.getByTestId(`opt-out-${number.e164}`);
  await expect(row).toContainText("Added by hand");
  await expect(row).toContainText("Called on Nov 3 and asked us to stop texting");
  await expect(row).toContainText("Opted out");

  // Adding it again changes nothing and says so.
  await addForm.getByLabel("Phone number").fill(number.e164);
  await addForm.getByLabel("Evidence").fill("Asked again");
  await addForm.getByRole("button", { name: "Add to opt-outs" }).click();
  await expect(addForm.getByRole("status")).toContainText("was already opted out");

  // Search by digits finds it.
  await page.getByLabel("Phone contains").fill(number.e164.slice(5));
  await expect(page.getByTestId("opt-outs-table").locator("tbody tr")).toHaveCount(1);
  await expect(row).toBeVisible();

  // Lift: reason and evidence are required; then it leaves the live list and shows as lifted.
  await row.getByRole("button", { name: `Lift the opt-out of ${number.shown}` }).click();
  const dialog = page.getByTestId("lift-opt-out-dialog");
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Lift opt-out" }).click();
  await expect(dialog.getByText("Say why the number may be texted again.")).toBeVisible();
  await dialog.getByLabel("Reason").fill("Owner asked to hear our offer again");
  await dialog.getByLabel("Evidence of consent").fill("Signed consent form dated Nov 20, in the deal folder");
  await dialog.getByRole("button", { name: "Lift opt-out" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("opt-outs-empty")).toBeVisible();

  await page.getByLabel("Status").selectOption("lifted");
  await expect(row).toContainText("Lifted");
  await expect(row).toContainText("Documented consent: Owner asked to hear our offer again");
  await expect(row.getByRole("button", { name: /Lift/ })).toHaveCount(0);

  // Export what the list shows: the lifted row, as a CSV download.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("opt-outs-export").click()]);
  expect(download.suggestedFilename()).toMatch(/^opt-outs-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = readFileSync((await download.path())!, "utf8").trim().split("\n");
  expect(lines[0]).toMatch(/^phone,reason,scope,status,evidence,/);
  expect(lines.slice(1)).toHaveLength(1);
  expect(lines[1]).toMatch(new RegExp(`^\\${number.e164},manual,organization,lifted,`));
});

test("opt-outs: a CSV import reports added, already opted out and rejected rows by row number", async ({ page }) => {
  const a = freshNumber();
  await signInAs(page);
  await expect(page.getByTestId("org-name")).toBeVisible();
  await page.goto("/compliance/suppressions");
  const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Import" }) });
  await form.getByLabel("CSV file").setInputFiles({
    name: "door-knocks.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`Name,Phone,Notes\nAnn,${a.typed},said stop at the door\nBob,12345,\nAnn again,${a.e164},\n`),
  });
  await form.getByLabel("Where does this list come from?").fill("Door-knocking sheet, November");
  await form.getByRole("button", { name: "Import" }).click();
  const result = page.getByTestId("import-result");
  await expect(result).toContainText("Read 3 rows");
  await expect(result).toContainText("1 added");
  await expect(result).toContainText("1 already opted out");
  await expect(result).toContainText("1 rejected");
  await expect(result.getByRole("row", { name: /3 12345 Not a valid US or Canadian phone number/ })).toBeVisible();
  await expect(page.getByTestId(`opt-out-${a.e164}`)).toContainText("Imported");
});
