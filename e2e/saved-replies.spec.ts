import { expect, test } from "./fixtures";
import { navLink, signInAs } from "./helpers";

// Saved replies (issue 12 item 4): Settings → Saved replies, reached from the navigation; a reply
// written with a merge-field button, its live segment count and preview, saved and listed; a
// second one under the same name is refused with the reason.

test("create a saved reply with a merge field, see it listed; a duplicate name is refused", async ({ page }) => {
  await signInAs(page);
  await expect(page.getByTestId("org-name")).toBeVisible();
  await navLink(page, "Saved replies").click();
  await expect(page).toHaveURL(/\/settings\/saved-replies$/);
  await expect(page.getByRole("heading", { name: "Saved replies" })).toBeVisible();

  const name = `Call back ${Date.now().toString(36)}`;
  await page.getByTestId("saved-reply-new").click();
  await page.getByLabel("Name").fill(name);
  const body = page.getByLabel("Reply", { exact: true });
  await body.fill("Hi ");
  await page.getByRole("button", { name: "+ Owner first name" }).click();
  await body.press("End");
  await body.pressSequentially(", thanks! When can I call you about {{property_address|the house}}?");
  await expect(body).toHaveValue("Hi {{owner_first_name}}, thanks! When can I call you about {{property_address|the house}}?");
  await expect(page.getByTestId("saved-reply-segments")).toContainText("1 segment");
  await expect(page.getByTestId("saved-reply-preview")).toHaveText("Hi Maria, thanks! When can I call you about 12 Oak St?");
  await page.getByRole("button", { name: "Create saved reply" }).click();

  await expect(page.getByRole("status")).toContainText(`Created “${name}”.`);
  const row = page.getByTestId("saved-reply").filter({ hasText: name });
  await expect(row).toContainText("Hi {{owner_first_name}}, thanks!");
  await expect(row).toContainText("1 segment · GSM-7");

  // The same name again: the server refuses it and the form says why.
  await page.getByTestId("saved-reply-new").click();
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Reply", { exact: true }).fill("Another text");
  await page.getByRole("button", { name: "Create saved reply" }).click();
  await expect(page.getByText(`A saved reply named "${name}" already exists.`)).toBeVisible();

  // An unknown merge field is named before saving.
  await page.getByLabel("Reply", { exact: true }).fill("Hi {{first_name}}");
  await expect(page.getByText(/Unknown merge field \{\{first_name\}\}/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Create saved reply" })).toBeDisabled();
});
