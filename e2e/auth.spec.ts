import http from "node:http";
import { expect, test, type Page } from "./fixtures";
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

async function signUpFounder(page: Page, prefix: string) {
  const email = uniqueEmail(prefix);
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Sam Session");
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill("session-password-1");
  await page.getByLabel("Organization name").fill("Session Homes");
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page.getByRole("heading", { name: "Welcome, Sam" })).toBeVisible();
  return email;
}

test("after sign-out, the old session cookie is refused by the API and pages send it to sign-in", async ({ page, browser }) => {
  await signUpFounder(page, "signout");
  const oldCookies = await page.context().cookies();
  expect(oldCookies.some((cookie) => cookie.name.includes("session-token"))).toBe(true);
  expect((await page.request.get("/api/trpc/account.me")).status()).toBe(200);
  expect(await (await page.request.get("/api/auth/session")).json()).toMatchObject({ user: { email: expect.stringContaining("signout") } });

  await signOut(page);

  // Someone who copied the cookie before sign-out replays it.
  const replay = await browser.newContext();
  await replay.addCookies(oldCookies);
  const apiResponse = await replay.request.get("/api/trpc/account.me");
  expect(apiResponse.status()).toBe(401);
  // next-auth would answer from the JWT alone; the session row says it ended.
  expect(await (await replay.request.get("/api/auth/session")).json()).toEqual({});
  const replayPage = await replay.newPage();
  await replayPage.goto("/leads");
  await expect(replayPage).toHaveURL(/\/sign-in/);
  await replay.close();
});

test("the profile page lists signed-in devices; revoking one ends it, and 'sign out everywhere' ends them all", async ({ page, browser }) => {
  const email = await signUpFounder(page, "devices");
  const other = await browser.newContext({ userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0" });
  const otherPage = await other.newPage();
  await signIn(otherPage, email, "session-password-1");
  await expect(otherPage.getByRole("heading", { name: "Welcome, Sam" })).toBeVisible();

  await navLink(page, "Profile").click();
  const rows = page.getByTestId("session-row");
  await expect(rows).toHaveCount(2);
  await expect(page.locator('[data-testid="session-row"][data-current]')).toContainText("This device");
  const otherRow = rows.filter({ hasText: "Firefox on Linux" });
  await expect(otherRow).toContainText("127.0.0.1");
  await otherRow.getByRole("button", { name: "Revoke" }).click();
  await expect(rows).toHaveCount(1);

  await otherPage.goto("/leads");
  await expect(otherPage).toHaveURL(/\/sign-in/);
  await signIn(otherPage, email, "session-password-1");
  await expect(otherPage.getByRole("heading", { name: "Welcome, Sam" })).toBeVisible();
  await page.reload();
  await expect(rows).toHaveCount(2);

  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await otherPage.goto("/leads");
  await expect(otherPage).toHaveURL(/\/sign-in/);
  expect((await other.request.get("/api/trpc/account.me")).status()).toBe(401);
  expect(await (await other.request.get("/api/auth/session")).json()).toEqual({});
  await other.close();
});

/** One credentials sign-in over HTTP from a chosen loopback address, as next-auth's form posts it. */
async function signInFrom(localAddress: string, email: string, password: string, forwardedFor: string): Promise<string> {
  const base = new URL(test.info().project.use.baseURL ?? "http://127.0.0.1:3100");
  const send = (method: string, path: string, headers: Record<string, string>, body?: string) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
      const request = http.request({ host: base.hostname, port: base.port, path, method, localAddress, headers }, (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
      });
      request.on("error", reject);
      request.end(body);
    });
  const csrf = await send("GET", "/api/auth/csrf", { "x-forwarded-for": forwardedFor });
  const cookie = (csrf.headers["set-cookie"] ?? []).map((line) => line.split(";")[0]).join("; ");
  const form = new URLSearchParams({ csrfToken: JSON.parse(csrf.body).csrfToken, email, password, json: "true" }).toString();
  const answer = await send("POST", "/api/auth/callback/credentials", {
    "content-type": "application/x-www-form-urlencoded",
    cookie,
    "x-forwarded-for": forwardedFor,
  }, form);
  const url = new URL(JSON.parse(answer.body).url as string, base);
  return url.searchParams.get("error") ?? "signed in";
}

test("a new X-Forwarded-For on every attempt does not escape the per-IP sign-in limit", async () => {
  // A loopback address of its own (all of 127/8 is loopback), so the lockout it earns touches no other test or run.
  const octet = () => Math.floor(Math.random() * 254) + 1;
  const attacker = `127.${octet()}.${octet()}.${octet()}`;
  const randomAddress = () => `203.0.113.${octet()}`;
  for (let i = 0; i < 20; i++) {
    const outcome = await signInFrom(attacker, uniqueEmail(`spray-${i}`), "wrong-password-1", randomAddress());
    expect(outcome).toBe("That email and password do not match.");
  }
  expect(await signInFrom(attacker, DEMO.email, DEMO.password, randomAddress())).toMatch(/^Too many failed sign-ins/);
  expect(await signInFrom("127.0.0.1", DEMO.email, DEMO.password, randomAddress())).toBe("signed in");
});
