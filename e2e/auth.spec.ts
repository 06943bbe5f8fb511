import { expect, test } from "./fixtures";
import { DEMO, formAlert, navLink, signIn, signOut, uniqueEmail } from "./helpers";

test("the demo login printed on first start works", async ({ page }) => {
  await signIn(page, DEMO.email, DEMO.password);
  await expect(page.getByRole("heading", { name: /Welcome, Dana/ })).toBeVisible();
  await expect(page.getByTestId("org-name")).toHaveText("Demo Realty");
});

test("signed-out visitors are sent to sign-in, and a wrong password is refused", async ({ page }) => {
  await page.goto("/settings/organization");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fsettings%2Forganization/);
  await signIn(page, DEMO.email, "not-the-password");
  await expect(formAlert(page)).toHaveText("That email and password do not match.");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("sign up, sign out, sign in again", async ({ page }) => {
  const email = uniqueEmail("founder");
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Frankie Founder");
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill("a-strong-password");
  await page.getByLabel("Organization name").fill("Founder Homes");
  await page.getByLabel("Time zone").selectOption("America/Chicago");
  await page.getByRole("button", { name: "Create organization" }).click();

  await expect(page.getByRole("heading", { name: "Welcome, Frankie" })).toBeVisible();
  await expect(page.getByTestId("org-name")).toHaveText("Founder Homes");
  await navLink(page, "Organization").click();
  await expect(page.getByLabel("Time zone")).toHaveValue("America/Chicago");

  await signOut(page);
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);

  await signIn(page, email, "a-strong-password");
  await expect(page.getByRole("heading", { name: "Welcome, Frankie" })).toBeVisible();
});

test("sign-up shows field errors instead of failing", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Shorty");
  await page.getByLabel("Work email").fill(uniqueEmail("short"));
  await page.getByLabel("Password").fill("short");
  await page.getByLabel("Organization name").fill("Short Co");
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page.getByText("Use at least 10 characters.")).toBeVisible();
  await expect(page).toHaveURL(/\/sign-up/);
});

test("an admin invites a teammate, who joins; deactivating them refuses their next request", async ({ page, browser }) => {
  const adminEmail = uniqueEmail("admin");
  const teammateEmail = uniqueEmail("teammate");

  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Ada Admin");
  await page.getByLabel("Work email").fill(adminEmail);
  await page.getByLabel("Password").fill("admin-password-1");
  await page.getByLabel("Organization name").fill("Invite Test Realty");
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page.getByTestId("org-name")).toHaveText("Invite Test Realty");

  await navLink(page, "Users").click();
  await page.getByLabel("Email", { exact: true }).fill(teammateEmail);
  await page.getByLabel("Role", { exact: true }).selectOption("manager");
  await page.getByRole("button", { name: "Create invite link" }).click();
  const inviteUrl = await page.getByTestId("invite-link").inputValue();
  expect(inviteUrl).toContain("/invite/");
  await expect(page.getByText(`${teammateEmail}`)).toBeVisible();

  const teammateContext = await browser.newContext();
  const teammate = await teammateContext.newPage();
  await teammate.goto(inviteUrl);
  await expect(teammate.getByRole("heading", { name: "Join Invite Test Realty" })).toBeVisible();
  await teammate.getByLabel("Your name").fill("Tess Teammate");
  await teammate.getByLabel("Password").fill("teammate-password");
  await teammate.getByRole("button", { name: "Join and sign in" }).click();
  await expect(teammate.getByTestId("org-name")).toHaveText("Invite Test Realty");
  await expect(teammate.getByRole("heading", { name: "Welcome, Tess" })).toBeVisible();
  // A manager sees no admin pages.
  await expect(navLink(teammate, "Users")).toHaveCount(0);

  // The used link cannot be used again.
  const stranger = await browser.newPage();
  await stranger.goto(inviteUrl);
  await expect(stranger.getByRole("heading", { name: "This invite cannot be used" })).toBeVisible();
  await stranger.close();

  await page.reload();
  const row = page.getByTestId(`member-${teammateEmail}`);
  await expect(row).toContainText("Active");
  await row.getByRole("button", { name: "Deactivate" }).click();
  await expect(row).toContainText("Deactivated");

  // The teammate's session cookie is still valid, but their very next request is refused.
  const apiResponse = await teammate.request.get("/api/trpc/account.me");
  expect(apiResponse.status()).toBe(401);
  await teammate.reload();
  await expect(teammate).toHaveURL(/\/sign-in\?notice=deactivated/);
  await expect(teammate.getByText("Your account has been deactivated")).toBeVisible();

  await signIn(teammate, teammateEmail, "teammate-password");
  await expect(formAlert(teammate)).toContainText("deactivated");

  // The audit log shows what happened.
  await navLink(page, "Audit log").click();
  await expect(page.getByText("user.deactivated")).toBeVisible();
  await expect(page.getByText("invite.accepted")).toBeVisible();
  await teammateContext.close();
});
