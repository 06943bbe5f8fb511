import { randomBytes } from "node:crypto";
import pg from "pg";
import { expect, test, type APIRequestContext } from "./fixtures";
import { twilioSignature, webhookSigningSecret } from "../src/server/messaging/webhook-signature";
import { signInAs } from "./helpers";
import { freshNumberIn, recipientOpenNow } from "./recipient";

/**
 * Twilio's webhooks over HTTP against the running app (`next start`): what a forger, a replaying
 * proxy or Twilio's own retries can send, and what ends up in the database. Nothing here may get a
 * 5xx, and nothing unsigned or misrouted may write a row.
 */

const BASE = process.env.NEXTAUTH_URL!;
const INBOUND = "/api/webhooks/twilio/inbound";
const STATUS = "/api/webhooks/twilio/status";
const SECRET = webhookSigningSecret({ NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET!, NEXTAUTH_URL: BASE });
const DEMO_SENDER = "+15005550006";

const sid = () => `SM${randomBytes(16).toString("hex")}`;
const freshPhone = () => `+1737${String(2_000_000 + Math.floor(Math.random() * 7_999_999))}`;

type Signing = { url?: string; secret?: string; signature?: string | null; rawBody?: string; contentType?: string };

function post(request: APIRequestContext, path: string, params: Record<string, string>, signing: Signing = {}) {
  const signature = signing.signature === undefined ? twilioSignature(signing.secret ?? SECRET, signing.url ?? `${BASE}${path}`, params) : signing.signature;
  const headers: Record<string, string> = { "content-type": signing.contentType ?? "application/x-www-form-urlencoded" };
  if (signature !== null) headers["x-twilio-signature"] = signature;
  return request.post(path, { headers, data: signing.rawBody ?? new URLSearchParams(params).toString() });
}

const inbound = (from: string, body: string, extra: Record<string, string> = {}) => ({
  MessageSid: sid(),
  AccountSid: `AC${"0".repeat(32)}`,
  From: from,
  To: DEMO_SENDER,
  Body: body,
  NumSegments: "1",
  ...extra,
});

let database: pg.Client;

test.beforeAll(async () => {
  database = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await database.connect();
});
test.afterAll(async () => {
  await database.end();
});

/** Undoes what recipientOpenNow() opened for the test that just ran (nothing on most hours). */
let restoreWindow: (() => Promise<void>) | undefined;
test.afterEach(async () => {
  await restoreWindow?.();
  restoreWindow = undefined;
});

async function rowsFor(phone: string) {
  const { rows } = await database.query<{ events: string; messages: string; suppressions: string }>(
    `SELECT
       (SELECT count(*) FROM "ProviderWebhookEvent" WHERE payload->>'From' = $1) AS events,
       (SELECT count(*) FROM "Message" m JOIN "Conversation" c ON c.id = m."conversationId" WHERE c.phone = $1 AND m.direction = 'inbound') AS messages,
       (SELECT count(*) FROM "Suppression" WHERE phone = $1 AND "liftedAt" IS NULL) AS suppressions`,
    [phone],
  );
  const row = rows[0]!;
  return { events: Number(row.events), messages: Number(row.messages), suppressions: Number(row.suppressions) };
}

test("forged, unsigned, signed-for-another-URL, malformed and misrouted webhooks are refused with a 4xx and write nothing", async ({ request }) => {
  const phone = freshPhone();
  const stop = inbound(phone, "STOP");
  const answers = await Promise.all([
    post(request, INBOUND, stop, { signature: "forged-signature" }),
    post(request, INBOUND, stop, { signature: null }),
    post(request, INBOUND, stop, { url: `https://attacker.example${INBOUND}` }),
    post(request, INBOUND, stop, { secret: "someone-elses-auth-token" }),
    post(request, INBOUND, { ...stop, Body: "START" }, { signature: twilioSignature(SECRET, `${BASE}${INBOUND}`, stop) }), // body swapped after signing
    post(request, STATUS, stop, { url: `${BASE}${INBOUND}` }), // signed for the inbound URL, posted to status
  ]);
  expect(answers.map((a) => a.status())).toEqual([403, 403, 403, 403, 403, 403]);

  const malformed = await Promise.all([
    post(request, INBOUND, { ...stop, MessageSid: "not-a-sid" }),
    post(request, INBOUND, { ...stop, From: "12345" }),
    post(request, INBOUND, {}, { rawBody: "%%%&&&=", signature: twilioSignature(SECRET, `${BASE}${INBOUND}`, {}) }),
    post(request, INBOUND, stop, { contentType: "application/json", rawBody: JSON.stringify(stop) }),
    post(request, STATUS, { MessageSid: sid(), MessageStatus: "exploded", From: DEMO_SENDER }),
  ]);
  for (const answer of malformed) {
    expect(answer.status(), await answer.text()).toBeGreaterThanOrEqual(400);
    expect(answer.status()).toBeLessThan(500);
  }

  const misrouted = await post(request, INBOUND, { ...stop, To: "+15125550999" });
  expect(misrouted.status()).toBe(404);

  expect(await rowsFor(phone)).toEqual({ events: 0, messages: 0, suppressions: 0 });
});

test("a STOP redelivered ten times at once and again later is recorded once and suppresses once", async ({ request }) => {
  const phone = freshPhone();
  const stop = inbound(phone, "Stop!");
  const answers = await Promise.all(Array.from({ length: 10 }, () => post(request, INBOUND, stop)));
  expect(answers.map((a) => a.status())).toEqual(Array(10).fill(200));
  expect(await answers[0]!.text()).toContain("<Response/>");
  // These routes skip the proxy; their handler sets the API security headers and the request id itself.
  expect(answers[0]!.headers()).toMatchObject({ "x-content-type-options": "nosniff", "content-security-policy": "default-src 'none'; frame-ancestors 'none'" });
  expect(answers[0]!.headers()["x-request-id"]).toMatch(/^[A-Za-z0-9._-]{8,128}$/);
  expect(await rowsFor(phone)).toEqual({ events: 1, messages: 1, suppressions: 1 });

  expect((await post(request, INBOUND, stop)).status()).toBe(200);
  expect(await rowsFor(phone)).toEqual({ events: 1, messages: 1, suppressions: 1 });
});

test("status callbacks out of order, duplicated and early: the message ends at its furthest status, each callback recorded once", async ({ page, request }) => {
  await signInAs(page);
  await expect(page.getByTestId("org-name")).toBeVisible();
  // The text must go out now: a lead where the local time allows it (e2e/recipient.ts).
  const { place, restore } = await recipientOpenNow();
  restoreWindow = restore;
  const phone = freshNumberIn(place.areaCode).e164;
  const created = await page.request.post("/api/trpc/leads.create", {
    data: { json: { addressLine1: `${Math.floor(Math.random() * 900) + 100} Callback Ct`, city: place.city, state: place.state, zip: place.zip, ownerName: "Pat Status" } },
  });
  const leadId = ((await created.json()) as { result: { data: { json: { lead: { id: string } } } } }).result.data.json.lead.id;
  expect((await page.request.post("/api/trpc/leads.addPhone", { data: { json: { leadId, number: phone, type: "mobile" } } })).ok()).toBe(true);
  const sent = await page.request.post("/api/trpc/messaging.sendToLead", { data: { json: { leadId, phone, body: "Hello from the webhook test" } } });
  expect(sent.ok(), await sent.text()).toBe(true);
  const messageId = ((await sent.json()) as { result: { data: { json: { id: string } } } }).result.data.json.id;
  const { rows } = await database.query<{ providerMessageId: string }>(`SELECT "providerMessageId" FROM "Message" WHERE id = $1`, [messageId]);
  const messageSid = rows[0]!.providerMessageId;

  const callback = (status: string, extra: Record<string, string> = {}) => ({ MessageSid: messageSid, MessageStatus: status, From: DEMO_SENDER, To: phone, AccountSid: `AC${"0".repeat(32)}`, ...extra });
  // Twilio's own order reversed, with duplicates, all at once.
  const answers = await Promise.all([
    post(request, STATUS, callback("delivered")),
    post(request, STATUS, callback("delivered")),
    post(request, STATUS, callback("sent")),
    post(request, STATUS, callback("queued")),
    post(request, STATUS, callback("sent")),
  ]);
  expect(answers.map((a) => a.status())).toEqual([200, 200, 200, 200, 200]);
  await post(request, STATUS, callback("undelivered", { ErrorCode: "30003" })); // late and contradictory: recorded, not applied

  const { rows: after } = await database.query<{ status: string; errorCode: string | null }>(`SELECT status, "errorCode" FROM "Message" WHERE id = $1`, [messageId]);
  expect(after[0]).toEqual({ status: "delivered", errorCode: null });
  const { rows: events } = await database.query<{ eventId: string }>(`SELECT "eventId" FROM "ProviderWebhookEvent" WHERE "eventId" LIKE $1 ORDER BY "eventId"`, [`${messageSid}:%`]);
  // Each (SID, status) once, whatever the simulator's own callbacks also posted.
  expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
  expect(events.map((e) => e.eventId)).toEqual(expect.arrayContaining([`${messageSid}:delivered`, `${messageSid}:sent`, `${messageSid}:queued`, `${messageSid}:undelivered`]));
});
