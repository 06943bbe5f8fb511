import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { expect, test, type Page } from "./fixtures";
import { navLink, uniqueEmail, waitForHydration } from "./helpers";

/** A new organization of its own (nothing else in the run writes to it): its founder is an admin. */
async function signUpFounder(page: Page) {
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Wren Webhook");
  await page.getByLabel("Work email").fill(uniqueEmail("webhooks"));
  await page.getByLabel("Password").fill("webhooks-password-1");
  await page.getByLabel("Organization name").fill("Webhook Homes");
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).not.toHaveURL(/\/sign-up/);
}

type Received = { headers: IncomingHttpHeaders; body: string };

test("webhooks: an admin registers an endpoint, sees the signed delivery of a new lead in the log, replays it with the same id, and rotates the secret", async ({ page }) => {
  test.setTimeout(120_000);
  // The receiving endpoint, on this machine (the worker posts to it).
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("thanks");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/leadflow`;
  try {
    await signUpFounder(page);
    await navLink(page, "Webhooks").click();
    await expect(page).toHaveURL(/\/settings\/webhooks$/);
    await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
    await waitForHydration(page);

    // No event chosen: refused, nothing added.
    await page.getByLabel("Endpoint URL").fill(url);
    await page.getByLabel("Description").fill("E2E receiver");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await expect(page.getByText("Choose at least one event.")).toBeVisible();

    await page.getByRole("checkbox", { name: /Lead created/ }).check();
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const shown = page.getByTestId("new-webhook-secret");
    await expect(shown).toContainText("shown only this once");
    const secret = (await shown.getByLabel("Signing secret").textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    const endpoint = page.getByTestId("webhook-endpoint").filter({ hasText: url });
    await expect(endpoint).toContainText("Enabled");
    await expect(endpoint).toContainText("Lead created");
    await expect(endpoint).not.toContainText(secret.slice(10));

    // A lead is added: the worker delivers it, signed.
    const street = `${Date.now() % 100_000} Webhook Way`;
    const created = await page.request.post("/api/trpc/leads.create", { data: { json: { addressLine1: street, city: "Austin", state: "TX", zip: "78701", ownerName: "HOOK, E2E" } } });
    expect(created.ok(), await created.text()).toBe(true);
    const delivery = page.getByTestId("webhook-delivery").filter({ hasText: url });
    await expect(delivery).toHaveCount(1, { timeout: 30_000 });
    await expect(delivery).toContainText("Delivered", { timeout: 30_000 });
    await expect(delivery).toContainText("1 attempt");
    await expect(delivery).toContainText("HTTP 200");
    expect(received).toHaveLength(1);
    const first = received[0]!;
    const verified = new Webhook(secret).verify(first.body, {
      "webhook-id": String(first.headers["webhook-id"]),
      "webhook-timestamp": String(first.headers["webhook-timestamp"]),
      "webhook-signature": String(first.headers["webhook-signature"]),
    }) as { type: string; data: { lead: { address: { line1: string } } } };
    expect(verified.type).toBe("lead.created");
    expect(verified.data.lead.address.line1).toBe(street);

    // Its log: the attempt, the message id, the body; then a replay, with the same id.
    await delivery.locator("summary").click();
    await expect(delivery.getByText(String(first.headers["webhook-id"]))).toBeVisible();
    await expect(delivery.getByTestId("webhook-attempt")).toHaveCount(1);
    await delivery.getByRole("button", { name: "Replay" }).click();
    await expect.poll(() => received.length, { timeout: 30_000 }).toBe(2);
    expect(received[1]!.headers["webhook-id"]).toBe(first.headers["webhook-id"]);
    expect(received[1]!.body).toBe(first.body);
    await expect(delivery).toContainText("2 attempts", { timeout: 15_000 });
    await expect(delivery.getByTestId("webhook-attempt").filter({ hasText: "Replay" })).toHaveCount(1);

    // Rotating the secret: the new one is shown once, and for a day deliveries verify with either.
    await shown.getByRole("button", { name: "Done" }).click();
    await expect(shown).toHaveCount(0);
    await endpoint.getByRole("button", { name: `Rotate the signing secret of ${url}` }).click();
    await expect(endpoint).toContainText("The old secret keeps signing for 24 hours");
    await endpoint.getByRole("button", { name: "Rotate now" }).click();
    const rotated = page.getByTestId("rotated-webhook-secret");
    await expect(rotated).toContainText("signed with the old secret as well");
    const newSecret = (await rotated.getByLabel("Signing secret").textContent())!.trim();
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(secret);
    await expect(endpoint.getByTestId("previous-secret-signs")).toContainText("The replaced secret also signs until");
    await expect(endpoint).toContainText(`secret ${newSecret.slice(0, 10)}…`);
    const again = await page.request.post("/api/trpc/leads.create", { data: { json: { addressLine1: `${street} Rear`, city: "Austin", state: "TX", zip: "78701", ownerName: "HOOK, E2E" } } });
    expect(again.ok(), await again.text()).toBe(true);
    await expect.poll(() => received.length, { timeout: 30_000 }).toBe(3);
    const third = received[2]!;
    const thirdHeaders = { "webhook-id": String(third.headers["webhook-id"]), "webhook-timestamp": String(third.headers["webhook-timestamp"]), "webhook-signature": String(third.headers["webhook-signature"]) };
    expect(() => new Webhook(newSecret).verify(third.body, thirdHeaders)).not.toThrow();
    expect(() => new Webhook(secret).verify(third.body, thirdHeaders)).not.toThrow();
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
