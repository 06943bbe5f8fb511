import { expect, test } from "./fixtures";
import { navLink, signInAs } from "./helpers";

test("API keys: an admin creates a key, sees it once, copies it, calls the REST API with it, revokes it, and the next call is 401", async ({ page, context, request }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signInAs(page);
  await navLink(page, "API keys").click();
  await expect(page).toHaveURL(/\/settings\/api-keys$/);
  await expect(page.getByRole("heading", { name: "API keys", level: 1 })).toBeVisible();

  // No scope chosen: refused next to the scopes, nothing created.
  const name = `E2E sync ${Date.now()}`;
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByText("Choose at least one scope.")).toBeVisible();

  await page.getByLabel("Leads", { exact: true }).selectOption("write");
  await page.getByLabel("Expires").selectOption({ label: "30 days" });
  await page.getByRole("button", { name: "Create key" }).click();

  // Shown once, with a warning; copied to the clipboard.
  const shown = page.getByTestId("new-api-key");
  await expect(shown).toContainText("shown only this once");
  const key = (await shown.getByLabel("New API key").textContent())!.trim();
  expect(key).toMatch(/^lf_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
  await shown.getByRole("button", { name: "Copy key" }).click();
  await expect(shown.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);

  // Listed by its prefix, never the whole key.
  const row = page.getByTestId(`api-key-${name}`);
  await expect(row).toContainText(key.slice(0, 11));
  await expect(row).toContainText("leads:read, leads:write");
  await expect(row).toContainText("Active");
  await expect(row).toContainText("Never");
  await shown.getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId("new-api-key")).toHaveCount(0);
  await page.reload();
  await expect(page.getByText(key)).toHaveCount(0);

  // The key creates a lead and lists it over the REST API (no session: only the key); tags are out of its scopes.
  const auth = { authorization: `Bearer ${key}` };
  const street = `${Date.now() % 100_000} Api Key Ave`;
  const created = await request.post("/api/v1/leads", { headers: auth, data: { addressLine1: street, city: "Austin", state: "TX", zip: "78701", ownerName: "KEY, E2E" } });
  expect(created.status(), await created.text()).toBe(200);
  const leadId = ((await created.json()) as { lead: { id: string } }).lead.id;
  const list = await request.get(`/api/v1/leads?limit=5&q=${encodeURIComponent(street)}`, { headers: auth });
  expect(list.status()).toBe(200);
  const page1 = (await list.json()) as { items: { id: string; addressLine1: string }[]; nextCursor: string | null };
  expect(page1.items.map((lead) => lead.id)).toEqual([leadId]);
  expect((await request.get("/api/v1/leads", { headers: auth })).status()).toBe(200);
  expect((await request.get("/api/v1/leads")).status(), "without the key").toBe(401);
  const write = await request.post("/api/v1/tags", { headers: auth, data: { name: "nope" } });
  expect(write.status()).toBe(403);
  expect(((await write.json()) as { error: { appCode: string } }).error.appCode).toBe("FORBIDDEN");

  // Last used shows up.
  await page.reload();
  await expect(row.locator("td").nth(4)).not.toHaveText("Never");

  // Revoke (confirmed); the very next call is refused.
  await row.getByRole("button", { name: "Revoke", exact: true }).click();
  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  await expect(row).toContainText("Revoked");
  const refused = await request.get("/api/v1/leads", { headers: auth });
  expect(refused.status()).toBe(401);
  expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/revoked/);

  // Both changes are in the audit log.
  await navLink(page, "Audit log").click();
  await expect(page.getByText("api_key.revoked").first()).toBeVisible();
  await expect(page.getByText("api_key.created").first()).toBeVisible();
  await expect(page.getByText("api.leads.create").first()).toBeVisible();
});

test("API reference: lists the operations of the OpenAPI document", async ({ page, request }) => {
  await signInAs(page);
  await page.goto("/settings/api-keys/reference");
  await expect(page.getByRole("heading", { name: "API reference", level: 1 })).toBeVisible();
  await expect(page.getByTestId("operation-GET /leads")).toContainText("List leads");
  await expect(page.getByTestId("operation-POST /suppressions")).toContainText("suppressions:write");
  const document = (await (await request.get("/api/v1/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
  const count = Object.values(document.paths).reduce((sum, item) => sum + Object.keys(item).length, 0);
  await expect(page.locator("[data-testid^='operation-']")).toHaveCount(count);
});
