import { expect, test } from "./fixtures";
import type { Page } from "@playwright/test";
import { signIn, signInAs, uniqueEmail, waitForHydration } from "./helpers";

/** A signed-out page has no live stream to wait for: its scripts have loaded once the network is quiet. */
async function settled(page: Page) {
  await page.waitForLoadState("networkidle");
}

// Accounts (issue 14 item 12): "Forgot your password?" emails a single-use link; without an SMTP
// server (npm run dev, this run) the email waits in the outbox at /outbox. The new password signs
// in, the old one no longer does. Admins read the audit log through filters, in words.

test("forgot password: the link from the outbox sets a new password that signs in; the old one stops working", async ({ page, browser }) => {
  const email = uniqueEmail("forgot");
  const signUp = await page.request.post("/api/trpc/account.signUp", {
    data: { json: { name: "Fern Forgetful", email, password: "the-old-password", organizationName: "Forgetful Homes", timeZone: "America/Denver" } },
  });
  expect(signUp.ok(), await signUp.text()).toBe(true);

  await page.goto("/sign-in");
  await settled(page);
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await settled(page);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Email me a reset link" }).click();
  await expect(page.getByText(`If ${email} has a LeadFlow account, a link to reset its password is on its way.`)).toBeVisible();

  await page.getByRole("link", { name: "outbox" }).click();
  const message = page.getByTestId("email").filter({ hasText: `To ${email}` });
  await expect(message).toContainText("Reset your LeadFlow password");
  await expect(message).toContainText("Hi Fern,");
  await message.getByRole("link", { name: /\/reset-password\// }).click();

  await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  await expect(page.getByText(`For ${email}.`)).toBeVisible();
  await settled(page);
  const resetUrl = page.url();
  await page.getByLabel("New password").fill("short");
  await page.getByRole("button", { name: "Save and sign in" }).click();
  await expect(page.getByText("Use at least 10 characters.")).toBeVisible();
  await page.getByLabel("New password").fill("the-new-password");
  await page.getByRole("button", { name: "Save and sign in" }).click();
  await expect(page.getByTestId("org-name")).toHaveText("Forgetful Homes");

  // The link worked once.
  await page.goto(resetUrl);
  await expect(page.getByRole("heading", { name: "This link cannot be used" })).toBeVisible();
  await expect(page.getByText("already used")).toBeVisible();

  const fresh = await browser.newPage();
  try {
    await signIn(fresh, email, "the-old-password");
    await expect(fresh).toHaveURL(/\/sign-in/);
    await expect(fresh.locator("form").getByRole("alert")).toBeVisible();
    await signIn(fresh, email, "the-new-password");
    await expect(fresh.getByTestId("org-name")).toHaveText("Forgetful Homes");
  } finally {
    await fresh.close();
  }
});

test("an unknown address gets the same answer; a made-up link says it is not valid", async ({ page }) => {
  await page.goto("/forgot-password");
  await settled(page);
  const nobody = uniqueEmail("nobody");
  await page.getByLabel("Email").fill(nobody);
  await page.getByRole("button", { name: "Email me a reset link" }).click();
  await expect(page.getByText(`If ${nobody} has a LeadFlow account, a link to reset its password is on its way.`)).toBeVisible();
  await page.goto("/outbox");
  await expect(page.getByTestId("email").filter({ hasText: `To ${nobody}` })).toHaveCount(0);

  await page.goto("/reset-password/made-up-token-made-up-token-made-up-token");
  await expect(page.getByText("This password reset link is not valid.")).toBeVisible();
});

test("the audit log reads in words and filters by who, what and request id", async ({ page }) => {
  await signInAs(page);
  await page.goto("/settings/audit");
  await waitForHydration(page);
  const rows = page.getByTestId("audit-row");
  await expect(rows.first()).toBeVisible();
  // The demo organization's seeding reads as words, with its action code under it.
  const seeded = rows.filter({ hasText: "organization.seeded" });
  await expect(seeded.first()).toContainText("Demo organization seeded");

  await page.getByLabel("Request id").fill("no-such-request-id");
  await expect(page.getByText("Nothing matches these filters.")).toBeVisible();
  await page.getByRole("button", { name: "Clear the filter" }).click();
  await expect(rows.first()).toBeVisible();

  await page.getByLabel("Action").selectOption({ label: "All organization actions" });
  await expect(rows.first()).toBeVisible();
  for (const code of await rows.getByTestId("audit-action").allTextContents()) expect(code.startsWith("organization.")).toBe(true);
});
