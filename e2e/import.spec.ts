import { readFile } from "node:fs/promises";
import { expect, test } from "./fixtures";
import { signInAs } from "./helpers";

/** Letters only: street names with it still normalize like ordinary ones, and reruns never collide. */
const uniqueToken = () => `Zq${Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join("")}`;

test.beforeEach(async ({ page }) => {
  await signInAs(page);
  await expect(page.getByTestId("org-name")).toBeVisible();
});

test("a manager imports a CSV: map, preview, import; duplicates are skipped and bad rows come back with reasons", async ({ page }) => {
  const hydrationErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /hydrat/i.test(message.text())) hydrationErrors.push(message.text());
  });

  const token = uniqueToken();
  const house = 10_000 + Math.floor(Math.random() * 80_000);
  const fileName = `owners-${token}.csv`;
  const csv = [
    "Property Address,City,State,Zip,Owner Name,Mobile,Email",
    `"${house} ${token} Main Street Apt 4",Austin,TX,78701,"Smith, John",(512) 555-0123,john@example.com`,
    `${house + 2} ${token} Oak Avenue,Austin,TX,78702,Jane Doe,512-555-01,`, // good lead, unreadable phone
    `${house} ${token.toUpperCase()} MAIN ST #4,Austin,TX,78701,John Smith,,`, // row 1 written differently
    `,Austin,TX,78703,Nobody Home,,`, // no address
    `${house + 4} ${token} Pine Road,Austin,TX,78704,Acme Holdings LLC,5125550177,`,
    `${house + 6} ${token} Cedar Lane,Austin,TX,78705,Bo Park,,`,
  ].join("\n");

  await page.goto("/leads/import");
  await expect(page.getByRole("heading", { level: 1, name: "Import leads" })).toBeVisible();
  const fileInput = page.getByLabel("Choose a CSV file");
  await expect(fileInput).toBeEnabled(); // enabled once the page is interactive
  await fileInput.setInputFiles({ name: fileName, mimeType: "text/csv", buffer: Buffer.from(csv) });

  // Step 2: the detected mapping and the first five rows as they will be imported.
  await expect(page.getByTestId("import-row-count")).toHaveText("6 rows");
  await expect(page.getByLabel("Property address", { exact: true })).toHaveValue("0");
  await expect(page.getByLabel("Owner name", { exact: true })).toHaveValue("4");
  await expect(page.getByRole("group", { name: "Phones" }).getByRole("checkbox", { name: /^Mobile/ })).toBeChecked();
  const preview = page.getByTestId("preview-row");
  await expect(preview).toHaveCount(5);
  await expect(preview.nth(0)).toContainText("Smith, John");
  await expect(preview.nth(0)).toContainText("(512) 555-0123");
  await expect(preview.nth(1)).toContainText('Phone "512-555-01" is not a valid US number; dropped');
  await expect(preview.nth(2)).toContainText("Same lead as row 1");
  await expect(preview.nth(3)).toContainText("Missing property address");

  // The preview follows mapping changes; a mapping that cannot import says why.
  const owner = page.getByLabel("Owner name", { exact: true });
  await owner.selectOption("");
  await expect(preview.nth(0)).not.toContainText("Smith, John");
  await owner.selectOption("4");
  await expect(preview.nth(0)).toContainText("Smith, John");
  await page.getByLabel("ZIP code", { exact: true }).selectOption("");
  await page.getByLabel("City", { exact: true }).selectOption("");
  await expect(page.getByTestId("mapping-problem")).toContainText("ZIP code");
  await expect(page.getByRole("button", { name: "Import 6 rows" })).toBeDisabled();
  await page.getByLabel("ZIP code", { exact: true }).selectOption("3");
  await page.getByLabel("City", { exact: true }).selectOption("1");
  await expect(page.getByTestId("mapping-problem")).toHaveCount(0);

  const listTag = `list-${token}`;
  await page.getByLabel("Tags for every imported lead").fill(listTag);
  await expect(preview.nth(0)).toContainText(listTag);

  // Step 3: the import runs in the worker; the page follows it to its report.
  await page.getByRole("button", { name: "Import 6 rows" }).click();
  await expect(page).toHaveURL(/\/leads\/import\?job=[^&]+$/);
  const report = page.getByTestId("import-report");
  await expect(report.getByTestId("import-summary")).toContainText("4 created, 1 already in leads, 1 rejected", { timeout: 30_000 });
  await expect(report.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "6");
  await expect(report.getByTestId("count-created")).toHaveText("4");
  await expect(report.getByTestId("count-duplicates")).toHaveText("1");
  await expect(report.getByTestId("count-rejected")).toHaveText("1");
  const rejects = report.getByTestId("rejects-table").locator("tbody tr");
  await expect(rejects).toHaveCount(1);
  await expect(rejects.first()).toContainText("4");
  await expect(rejects.first()).toContainText("Missing property address");

  // Every rejected row, with its reason and original columns, downloads as CSV.
  const downloading = page.waitForEvent("download");
  await report.getByRole("link", { name: "Download rejected rows (CSV)" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`owners-${token}-rejected-rows.csv`);
  const rejectsCsv = await readFile((await download.path())!, "utf8");
  expect(rejectsCsv).toContain("row_number,reason,Property Address,City,State,Zip,Owner Name,Mobile,Email");
  expect(rejectsCsv).toContain("4,Missing property address,,Austin,TX,78703,Nobody Home");

  // The recent imports list it; its link reopens the report.
  const recent = page.getByTestId("import-row").filter({ hasText: fileName });
  await expect(recent).toContainText("Completed");
  await page.reload();
  await expect(report.getByTestId("import-summary")).toContainText("4 created, 1 already in leads, 1 rejected");

  // Nothing valid was lost: the four leads are in the list of CSV imports, tagged with the list.
  await report.getByRole("link", { name: "View imported leads" }).click();
  await expect(page).toHaveURL(/\/leads\?source=csv$/);
  await page.getByLabel("Search address or owner").fill(token);
  await expect(page.getByTestId("lead-count")).toHaveText("Showing 4 of 4 leads");
  const rows = page.getByTestId("lead-row");
  await expect(rows.filter({ hasText: `${house} ${token} Main Street Apt 4` })).toContainText("Smith, John");
  await expect(rows.filter({ hasText: listTag })).toHaveCount(4);

  expect(hydrationErrors).toEqual([]);
});

test("an unreadable file is refused with the reason, before any mapping", async ({ page }) => {
  await page.goto("/leads/import");
  const fileInput = page.getByLabel("Choose a CSV file");
  await expect(fileInput).toBeEnabled();
  await fileInput.setInputFiles({ name: "owners.xlsx", mimeType: "application/octet-stream", buffer: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]) });
  await expect(page.getByRole("alert").filter({ hasText: "owners.xlsx" })).toContainText("Excel workbook");
  await expect(page.getByTestId("import-preview")).toHaveCount(0);

  await fileInput.setInputFiles({ name: "header-only.csv", mimeType: "text/csv", buffer: Buffer.from("Address,Zip\n") });
  await expect(page.getByRole("alert").filter({ hasText: "header-only.csv" })).toContainText("no data rows");
});

test("a file over 10 MB uploads and previews from its first rows", async ({ page }) => {
  // Above the 10 MB a JSON request body (and any request the proxy sees) could carry.
  const rows = 90_000;
  const lines = ["Property Address,City,State,Zip,Owner Name,Notes"];
  for (let i = 0; i < rows; i++) lines.push(`"${i + 1} Large File Rd",Austin,TX,78701,Owner ${i},${"n".repeat(90)}`);
  const buffer = Buffer.from(`${lines.join("\n")}\n`);
  expect(buffer.length).toBeGreaterThan(10 * 1024 * 1024);

  await page.goto("/leads/import");
  const fileInput = page.getByLabel("Choose a CSV file");
  await expect(fileInput).toBeEnabled();
  const uploads: number[] = [];
  page.on("response", (response) => {
    if (response.url().includes("/api/imports/upload")) uploads.push(response.status());
  });
  await fileInput.setInputFiles({ name: "large-list.csv", mimeType: "text/csv", buffer });

  await expect(page.getByTestId("import-row-count")).toHaveText("90,000 rows", { timeout: 45_000 });
  expect(uploads).toEqual([201]);
  await expect(page.getByTestId("preview-row")).toHaveCount(5);
  await expect(page.getByTestId("preview-row").first()).toContainText("1 Large File Rd");
  await expect(page.getByRole("button", { name: "Import 90,000 rows" })).toBeEnabled();
});
