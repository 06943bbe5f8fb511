import { expect, type Cookie, type Page } from "@playwright/test";

export const DEMO = { email: "demo@leadflow.test", password: "leadflow-demo" };

export const uniqueEmail = (prefix: string) => `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Each worker's session per seeded user, from its first sign-in (see signInAs). */
const sessions = new Map<string, Cookie[]>();

/**
 * Signed in as a seeded user (the demo admin by default), on the dashboard: for specs whose subject
 * is not signing in (auth.spec.ts and security-headers.spec.ts go through the form). The first call
 * in a worker signs in over next-auth's credentials endpoint, as the form posts it; later calls
 * reuse that session's cookies, and sign in again if it has ended.
 */
export async function signInAs(page: Page, { email, password } = DEMO) {
  const saved = sessions.get(email);
  if (saved) {
    await page.context().addCookies(saved);
    await page.goto("/");
    if (!/\/sign-in/.test(page.url())) return;
    sessions.delete(email);
    await page.context().clearCookies();
  }
  const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await page.request.post("/api/auth/callback/credentials", { form: { csrfToken, email, password, json: "true" } });
  expect(response.status(), `${email} signs in`).toBeLessThan(400);
  sessions.set(email, await page.context().cookies());
  await page.goto("/");
  await expect(page, `${email} is signed in`).not.toHaveURL(/\/sign-in/);
}

export async function signOut(page: Page) {
  await page.getByLabel("Account menu").click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}

export function navLink(page: Page, name: string) {
  return page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true });
}

/** The form's own alert, not Next's empty route announcer (also role=alert). */
export function formAlert(page: Page) {
  return page.locator("form").getByRole("alert");
}

/**
 * Waits until React has hydrated a signed-in page and its live-updates stream (which only the
 * hydrated page opens) is connected, so events raised from now on reach it. Typing or clicking into a controlled input before that is undone by
 * hydration (the e2e saw a filled field come back empty, a clicked checkbox not change).
 */
export async function waitForHydration(page: Page) {
  await expect(page.getByTestId("live-events")).toHaveAttribute("data-state", "pending");
  // React streams a Suspense boundary's content as a hidden segment (<div hidden id="S:…">) and
  // reveals it a moment later (React 19 batches reveals): until then the page holds two copies of
  // it, and a strict locator finds both (CI saw this three times). Wait for the reveals, briefly.
  await page.waitForFunction(() => document.querySelector('div[hidden][id^="S:"]') === null, undefined, { timeout: 5_000 }).catch(() => undefined);
}
