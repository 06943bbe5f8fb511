import { expect, test, type Page } from "./fixtures";
import { signInAs, waitForHydration } from "./helpers";

async function trpc<T>(page: Page, path: string, input?: unknown): Promise<T> {
  const response = await page.request.post(`/api/trpc/${path}`, { data: { json: input ?? null } });
  expect(response.ok(), `${path}: ${await response.text()}`).toBe(true);
  return ((await response.json()) as { result: { data: { json: T } } }).result.data.json;
}

/** Letters only, so the street names normalize like ordinary ones and reruns never collide. */
const uniqueToken = () => `Zn${Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join("")}`;

test("an import finished by the worker appears in the bell without a reload; opening it reads it; Escape closes it", async ({ page }) => {
  await signInAs(page);
  await expect(page.getByTestId("org-name")).toBeVisible();
  await waitForHydration(page); // the live stream is open
  await trpc(page, "notifications.markAllRead");
  const bell = page.getByTestId("notification-bell");
  await expect(page.getByTestId("notification-badge")).toHaveCount(0);
  await expect(bell).toHaveAccessibleName("Notifications");

  // The worker runs an import this user started (outside the page: its own request context).
  const token = uniqueToken();
  const fileName = `bell-${token}.csv`;
  const csv = ["Property Address,City,State,Zip,Owner Name", `12 ${token} Main Street,Austin,TX,78701,Bell Tester`].join("\n");
  const uploaded = await page.request.post(`/api/imports/upload?fileName=${encodeURIComponent(fileName)}`, { data: csv, headers: { "content-type": "text/csv" } });
  expect(uploaded.status()).toBe(201);
  const { upload } = (await uploaded.json()) as { upload: { id: string } };
  const preview = await trpc<{ mapping: unknown }>(page, "imports.preview", { uploadId: upload.id });
  await trpc(page, "imports.create", { uploadId: upload.id, mapping: preview.mapping });

  // No reload: the live event brings the badge.
  await expect(page.getByTestId("notification-badge")).toBeVisible({ timeout: 30_000 });
  await expect(bell).toHaveAccessibleName(/^Notifications, \d+ unread$/);
  await bell.click();
  const panel = page.getByRole("dialog", { name: "Notifications" });
  await expect(panel).toBeVisible();
  await expect(panel).toBeFocused();
  const item = panel.getByTestId("notification-item").filter({ hasText: `Import of ${fileName} finished` });
  await expect(item).toContainText("1 new lead from 1 row.");
  await expect(item.getByRole("link")).toHaveAttribute("href", "/leads/import");
  // Opened, it is read: the badge goes (it stays marked as new while the panel is open).
  await expect(page.getByTestId("notification-badge")).toHaveCount(0);
  await expect(item).toContainText("New:");

  await page.keyboard.press("Escape");
  await expect(panel).toHaveCount(0);
  await expect(bell).toBeFocused();

  // Keyboard: Enter opens it again; the item is now read.
  await page.keyboard.press("Enter");
  await expect(panel).toBeVisible();
  await expect(panel.getByTestId("notification-item").filter({ hasText: `Import of ${fileName} finished` })).not.toContainText("New:");
  await page.keyboard.press("Escape");
});

test("notification settings: a kind switched off stays off after a reload", async ({ page }) => {
  const hydrated = () => waitForHydration(page);
  await signInAs(page, { email: "user@leadflow.test", password: "leadflow-demo" });
  await page.goto("/settings/notifications");
  await expect(page.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
  await hydrated();
  const box = page.getByRole("checkbox", { name: /Campaign finished/ });
  await expect(box).toBeChecked();
  await box.uncheck();
  await expect(box).not.toBeChecked();
  await expect(box).toBeEnabled();
  await page.reload();
  await hydrated();
  await expect(page.getByRole("checkbox", { name: /Campaign finished/ })).not.toBeChecked();
  await page.getByRole("checkbox", { name: /Campaign finished/ }).check();
  await expect(page.getByRole("checkbox", { name: /Campaign finished/ })).toBeEnabled();
  await page.reload();
  await hydrated();
  await expect(page.getByRole("checkbox", { name: /Campaign finished/ })).toBeChecked();
});
