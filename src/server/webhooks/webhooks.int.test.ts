import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { db } from "@/server/db";
import { startWorkers } from "@/server/jobs/handlers";
import { stopQueue } from "@/server/jobs/queue";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhook-events";
import { callerFor, createTeam, type TestUser } from "@/test/factories";
import { waitFor } from "@/test/wait-for";
import { env } from "@/server/env";
import { RealtimeHub } from "@/server/realtime/hub";
import { raiseEvent } from "@/server/realtime/raise";
import { organizationEvents, type StreamItem } from "@/server/realtime/stream";
import { clearExpiredPreviousSecrets, deleteOldWebhookDeliveries, isPrivateAddress, runWebhookDispatch, sealLegacyWebhookSecrets, WEBHOOK_LOG_RETENTION_DAYS, WEBHOOK_POLICY, webhookBackoffMs } from "./dispatch";
import { WEBHOOK_SECRET_OVERLAP_MS } from "./service";

// The receivers below listen on this machine: allowed here as in development; the default refuses them.
const allowPrivateBefore = env.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES;
env.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = "1";
afterAll(() => {
  env.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = allowPrivateBefore;
});

/** A receiving endpoint on this machine: records every request, answers what `answer` says. */
type Received = { headers: IncomingHttpHeaders; body: string };
type Answer = { status: number; headers?: Record<string, string>; body?: string };
async function receiver(answer: (request: Received) => Answer | Promise<Answer> = () => ({ status: 200, body: "ok" })) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const request = { headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      received.push(request);
      const reply = await answer(request);
      res.writeHead(reply.status, reply.headers ?? { "content-type": "text/plain" });
      res.end(reply.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received };
}
const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

const headersOf = (request: Received) => ({
  "webhook-id": String(request.headers["webhook-id"]),
  "webhook-timestamp": String(request.headers["webhook-timestamp"]),
  "webhook-signature": String(request.headers["webhook-signature"]),
});

let counter = 0;
async function org() {
  const team = await createTeam();
  const admin = callerFor(team.admin);
  const manager = callerFor(team.manager);
  const lead = async (status: "new" | "contacted" = "new") =>
    (await manager.leads.create({ addressLine1: `${++counter} Hook St`, city: "Austin", state: "TX", zip: "78701", ownerName: "RIVERA, JORDAN", status })).lead;
  return { team, admin, manager, lead };
}

type Payload = { type: string; timestamp: string; data: Record<string, unknown> };

describe("outbound webhooks (issue 13 item 4)", () => {
  it("seals a secret stored before encryption at rest on the next dispatch, and its deliveries still verify with it", async () => {
    const { admin, lead } = await org();
    const hook = await receiver();
    const { secret, endpoint } = await admin.webhooks.create({ url: hook.url, events: ["lead.created"] });
    // What an endpoint created before this release holds: the plain secret.
    await db.webhookEndpoint.update({ where: { id: endpoint.id }, data: { secret } });
    await lead();
    await runWebhookDispatch(db);
    expect((await db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).secret).toMatch(/^sealed:v1:/);
    expect(hook.received).toHaveLength(1);
    expect(() => new Webhook(secret).verify(hook.received[0]!.body, headersOf(hook.received[0]!))).not.toThrow();
    expect(await sealLegacyWebhookSecrets(db)).toBe(0);
  });

  it("signs each delivery per Standard Webhooks: the package's Webhook.verify accepts it with the secret shown once, and refuses another secret", async () => {
    const { admin, lead } = await org();
    const hook = await receiver();
    const { secret, endpoint } = await admin.webhooks.create({ url: hook.url, description: "CRM", events: ["lead.created", "lead.status_changed"] });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    // Never again: not in the list, nor in the delivery log.
    expect(JSON.stringify(await admin.webhooks.list())).not.toContain(secret.slice(6));
    expect(endpoint.secretHint).toBe(`${secret.slice(0, 10)}…`);
    // Sealed at rest: the database holds no trace of the secret.
    const stored = await db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id }, select: { secret: true, secretHint: true } });
    expect(stored.secret).toMatch(/^sealed:v1:/);
    expect(stored.secret).not.toContain(secret.slice(6, 20));
    expect(stored.secretHint).toBe(endpoint.secretHint);

    const created = await lead();
    // Written with the lead, in its transaction: there before any worker ran.
    expect(await db.webhookDelivery.count({ where: { endpointId: endpoint.id } })).toBe(1);
    await runWebhookDispatch(db);
    expect(hook.received).toHaveLength(1);
    const [request] = hook.received;
    const verified = new Webhook(secret).verify(request!.body, headersOf(request!)) as Payload;
    expect(verified.type).toBe("lead.created");
    expect((verified.data.lead as { id: string; status: string; address: { zip: string } })).toMatchObject({ id: created.id, status: "new", address: { zip: "78701" } });
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString("base64")}`).verify(request!.body, headersOf(request!))).toThrow(WebhookVerificationError);
    expect(() => new Webhook(secret).verify(request!.body.replace("78701", "78702"), headersOf(request!))).toThrow(WebhookVerificationError);

    const [delivery] = await admin.webhooks.deliveries({ endpointId: endpoint.id });
    expect(delivery).toMatchObject({ id: request!.headers["webhook-id"], eventType: "lead.created", status: "succeeded", attemptCount: 1, lastResponseStatus: 200 });
    expect(delivery!.id).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(delivery!.attempts).toEqual([expect.objectContaining({ trigger: "automatic", responseStatus: 200, responseBody: "ok", succeeded: true, error: null })]);
    expect(delivery!.attempts[0]!.durationMs).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(await admin.webhooks.deliveries({}))).not.toContain(secret.slice(6));

    // A status change carries where it came from.
    await admin.leads.update({ id: created.id, patch: { status: "contacted" } });
    await runWebhookDispatch(db);
    const change = new Webhook(secret).verify(hook.received[1]!.body, headersOf(hook.received[1]!)) as Payload;
    expect(change).toMatchObject({ type: "lead.status_changed", data: { previousStatus: "new", status: "contacted" } });
  });

  it("rotates the signing secret: the new one shown once, the replaced one signing beside it for a day, then not at all", async () => {
    const { admin, manager, lead } = await org();
    const hook = await receiver();
    const { secret: first, endpoint } = await admin.webhooks.create({ url: hook.url, events: ["lead.created"] });
    // Stored before encryption at rest (the worker has not sealed it yet): the rotation seals it as the previous secret.
    await db.webhookEndpoint.update({ where: { id: endpoint.id }, data: { secret: first } });
    const rotatedAt = Date.now();
    const { secret: second, endpoint: rotated } = await admin.webhooks.rotateSecret({ id: endpoint.id });
    expect(second).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(second).not.toBe(first);
    expect(rotated.secretHint).toBe(`${second.slice(0, 10)}…`);
    expect(rotated.previousSecretExpiresAt!.getTime() - rotatedAt).toBeGreaterThanOrEqual(WEBHOOK_SECRET_OVERLAP_MS - 5_000);
    expect(rotated.previousSecretExpiresAt!.getTime() - rotatedAt).toBeLessThanOrEqual(WEBHOOK_SECRET_OVERLAP_MS + 5_000);
    // Both stay sealed at rest, and neither is readable again through the API.
    const stored = await db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id }, select: { secret: true, previousSecret: true } });
    expect(stored.secret).toMatch(/^sealed:v1:/);
    expect(stored.previousSecret).toMatch(/^sealed:v1:/);
    expect(stored.previousSecret).not.toContain(first.slice(6, 20));
    expect(JSON.stringify(await admin.webhooks.list())).not.toContain(second.slice(6));
    const [audit] = await db.auditLog.findMany({ where: { targetId: endpoint.id, action: "webhook_endpoint.secret_rotated" } });
    expect(audit!.details).toMatchObject({ secretHint: rotated.secretHint, previousSecretHint: endpoint.secretHint });
    expect(JSON.stringify(audit!.details)).not.toContain(second.slice(10));
    expect(JSON.stringify(audit!.details)).not.toContain(first.slice(10));

    /** A new lead's delivery, as the receiver got it. */
    const nextDelivery = async (options?: { now: Date }) => {
      const before = hook.received.length;
      await lead();
      await runWebhookDispatch(db, options);
      expect(hook.received).toHaveLength(before + 1);
      const request = hook.received[before]!;
      return { signatures: headersOf(request)["webhook-signature"].split(" ").length, verify: (secret: string) => new Webhook(secret).verify(request.body, headersOf(request)) };
    };

    // Within the day: a receiver checking with either secret accepts the delivery.
    const during = await nextDelivery();
    expect(during.signatures).toBe(2);
    expect(() => during.verify(second)).not.toThrow();
    expect(() => during.verify(first)).not.toThrow();

    // After it: only the new secret signs.
    const expiredAt = new Date(rotated.previousSecretExpiresAt!.getTime() + 1_000);
    const after = await nextDelivery({ now: expiredAt });
    expect(after.signatures).toBe(1);
    expect(() => after.verify(second)).not.toThrow();
    expect(() => after.verify(first)).toThrow(WebhookVerificationError);
    // And the hourly housekeeping forgets it.
    expect(await clearExpiredPreviousSecrets(db, expiredAt)).toBeGreaterThanOrEqual(1);
    expect(await db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id }, select: { previousSecret: true, previousSecretExpiresAt: true } })).toEqual({
      previousSecret: null,
      previousSecretExpiresAt: null,
    });
    expect((await admin.webhooks.list()).find((e) => e.id === endpoint.id)!.previousSecretExpiresAt).toBeNull();

    // Rotating again within the day drops the oldest at once: a leaked secret stops signing after two rotations.
    const { secret: third } = await admin.webhooks.rotateSecret({ id: endpoint.id });
    const latest = await nextDelivery();
    expect(() => latest.verify(third)).not.toThrow();
    expect(() => latest.verify(second)).not.toThrow();
    expect(() => latest.verify(first)).toThrow(WebhookVerificationError);

    // A replaced secret that cannot be opened (sealed under another key) does not stop deliveries: the current one signs.
    await db.webhookEndpoint.update({ where: { id: endpoint.id }, data: { previousSecret: "sealed:v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" } });
    const unreadable = await nextDelivery();
    expect(unreadable.signatures).toBe(1);
    expect(() => unreadable.verify(third)).not.toThrow();

    // Admins only, and only their organization's endpoints.
    await expect(manager.webhooks.rotateSecret({ id: endpoint.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const other = await org();
    await expect(other.admin.webhooks.rotateSecret({ id: endpoint.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id }, select: { secretHint: true } })).secretHint).toBe(`${third.slice(0, 10)}…`);
  });

  it("raises every one of the six events on the one event path, each once per endpoint, and only the events chosen", async () => {
    const { team, admin, lead } = await org();
    const orgId = team.org.id;
    const all = await receiver();
    const some = await receiver();
    const everything = await admin.webhooks.create({ url: all.url, events: [...WEBHOOK_EVENT_TYPES] });
    await admin.webhooks.create({ url: some.url, events: ["message.received"] });

    const created = await lead();
    await admin.leads.update({ id: created.id, patch: { status: "contacted" } });
    const phone = `+1512555${String(1000 + counter).slice(-4)}`;
    await db.leadPhone.create({ data: { organizationId: orgId, leadId: created.id, number: phone, type: "mobile", source: "test" } });
    await db.skipTraceRecord.create({ data: { organizationId: orgId, leadId: created.id, provider: "sandbox", outcome: "matched", matched: true, request: {}, costCents: 0 } });
    await db.skipTraceRecord.create({ data: { organizationId: orgId, leadId: created.id, provider: "sandbox", outcome: "failed", matched: false, request: {}, costCents: 0 } });
    const conversation = await db.conversation.create({ data: { organizationId: orgId, leadId: created.id, phone } });
    await db.message.create({ data: { organizationId: orgId, conversationId: conversation.id, direction: "inbound", body: "Maybe, what's your offer?", status: "received" } });
    await db.message.create({ data: { organizationId: orgId, conversationId: conversation.id, direction: "outbound", body: "Thanks!", status: "queued" } });
    await db.suppression.create({ data: { organizationId: orgId, phone, reason: "keyword", leadId: created.id, evidence: "STOP", liveKey: `${phone}|` } });
    const campaign = await db.campaign.create({ data: { organizationId: orgId, name: "Spring", template: "Hi", audience: {}, status: "running" } });
    await db.campaign.update({ where: { id: campaign.id }, data: { status: "completed", completedAt: new Date() } });
    // Told again (another change of the finished campaign): still one delivery.
    await db.campaign.update({ where: { id: campaign.id }, data: { haltReason: "later note" } });

    await runWebhookDispatch(db);
    const payloads = all.received.map((request) => new Webhook(everything.secret).verify(request.body, headersOf(request)) as Payload);
    expect(payloads.map((p) => p.type).sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
    const byType = Object.fromEntries(payloads.map((p) => [p.type, p.data]));
    expect(byType["message.received"]).toMatchObject({ message: { body: "Maybe, what's your offer?", from: phone }, conversationId: conversation.id, lead: { id: created.id } });
    expect(byType["lead.opted_out"]).toMatchObject({ optOut: { phone, reason: "keyword" }, lead: { id: created.id } });
    expect(byType["lead.skip_traced"]).toMatchObject({ skipTrace: { outcome: "matched", matched: true }, lead: { id: created.id }, phones: [expect.objectContaining({ number: phone })] });
    expect(byType["campaign.finished"]).toMatchObject({ campaign: { id: campaign.id, name: "Spring", status: "completed" } });
    // The other endpoint chose replies only.
    expect(some.received.map((request) => (JSON.parse(request.body) as Payload).type)).toEqual(["message.received"]);
  });

  it("retries a failing endpoint with exponential backoff, logs every attempt, then disables it and tells the admins", async () => {
    const { team, admin, lead } = await org();
    const failing = await receiver(() => ({ status: 503, body: "down for maintenance" }));
    const { endpoint } = await admin.webhooks.create({ url: failing.url, events: ["lead.created"] });
    for (let i = 0; i < WEBHOOK_POLICY.disableAfterFailedDeliveries; i++) await lead();
    const ids = (await db.webhookDelivery.findMany({ where: { endpointId: endpoint.id }, select: { id: true } })).map((d) => d.id);
    expect(ids).toHaveLength(WEBHOOK_POLICY.disableAfterFailedDeliveries);

    let now = new Date();
    for (let attempt = 1; attempt <= WEBHOOK_POLICY.maxAttempts; attempt++) {
      // Not due yet a moment before the backoff ends: nothing is sent.
      if (attempt > 1) expect((await runWebhookDispatch(db, { now: new Date(now.getTime() - 1_000) })).attempted).toBe(0);
      await runWebhookDispatch(db, { now });
      const rows = await db.webhookDelivery.findMany({ where: { endpointId: endpoint.id }, select: { attemptCount: true, status: true, nextAttemptAt: true } });
      for (const row of rows) {
        expect(row.attemptCount).toBe(attempt);
        if (attempt < WEBHOOK_POLICY.maxAttempts) {
          expect(row.status).toBe("pending");
          expect(row.nextAttemptAt!.getTime() - now.getTime()).toBe(webhookBackoffMs(attempt));
        } else expect(row).toMatchObject({ status: "failed", nextAttemptAt: null });
      }
      now = rows[0]!.nextAttemptAt ?? now;
    }
    // 30 s, 2 min, 8 min, 32 min, 128 min: growing by 4.
    expect([1, 2, 3, 4, 5].map(webhookBackoffMs)).toEqual([30_000, 120_000, 480_000, 1_920_000, 7_680_000]);
    // Every attempt of a delivery carried the same message id.
    expect(failing.received).toHaveLength(WEBHOOK_POLICY.disableAfterFailedDeliveries * WEBHOOK_POLICY.maxAttempts);
    const perId = new Map<string, number>();
    for (const request of failing.received) perId.set(String(request.headers["webhook-id"]), (perId.get(String(request.headers["webhook-id"])) ?? 0) + 1);
    expect([...perId.keys()].sort()).toEqual([...ids].sort());
    expect([...perId.values()]).toEqual(ids.map(() => WEBHOOK_POLICY.maxAttempts));
    const [logged] = await admin.webhooks.deliveries({ endpointId: endpoint.id });
    expect(logged!.attempts).toHaveLength(WEBHOOK_POLICY.maxAttempts);
    expect(logged!.attempts[0]).toMatchObject({ responseStatus: 503, responseBody: "down for maintenance", error: "Answered 503.", succeeded: false });

    const [disabled] = await admin.webhooks.list();
    expect(disabled).toMatchObject({ enabled: false, consecutiveFailures: WEBHOOK_POLICY.disableAfterFailedDeliveries });
    expect(disabled!.disabledReason).toContain("5 deliveries in a row failed");
    const notices = await db.notification.findMany({ where: { organizationId: team.org.id, kind: "webhook_disabled" }, select: { userId: true, link: true } });
    expect(notices).toEqual([{ userId: team.admin.id, link: "/settings/webhooks" }]);

    // Disabled: a new event is not queued for it, and nothing is sent.
    await lead();
    expect(await db.webhookDelivery.count({ where: { endpointId: endpoint.id } })).toBe(WEBHOOK_POLICY.disableAfterFailedDeliveries);
    // Enabled again by an admin: its count starts over.
    expect(await admin.webhooks.update({ id: endpoint.id, enabled: true })).toMatchObject({ enabled: true, consecutiveFailures: 0, disabledReason: null });
  });

  it("replays a delivery with the same message id and body, logged as a replay; a disabled endpoint must be enabled first", async () => {
    const { admin, lead } = await org();
    const hook = await receiver();
    const { secret, endpoint } = await admin.webhooks.create({ url: hook.url, events: ["lead.created"] });
    await lead();
    await runWebhookDispatch(db);
    const [delivery] = await admin.webhooks.deliveries({ endpointId: endpoint.id });
    const replayed = await admin.webhooks.replay({ id: delivery!.id });
    expect(replayed).toMatchObject({ id: delivery!.id, status: "pending" });
    await runWebhookDispatch(db);
    expect(hook.received).toHaveLength(2);
    expect(hook.received.map((request) => request.headers["webhook-id"])).toEqual([delivery!.id, delivery!.id]);
    expect(hook.received[1]!.body).toBe(hook.received[0]!.body);
    expect(() => new Webhook(secret).verify(hook.received[1]!.body, headersOf(hook.received[1]!))).not.toThrow();
    const [after] = await admin.webhooks.deliveries({ endpointId: endpoint.id });
    expect(after).toMatchObject({ status: "succeeded", attemptCount: 2 });
    expect(after!.attempts.map((a) => a.trigger)).toEqual(["replay", "automatic"]);

    await admin.webhooks.update({ id: endpoint.id, enabled: false });
    await expect(admin.webhooks.replay({ id: delivery!.id })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
  });

  it("keeps organizations apart: an event of org A never reaches org B's endpoint, and B cannot see, change or replay A's", async () => {
    const a = await org();
    const b = await org();
    const hookA = await receiver();
    const hookB = await receiver();
    const endpointA = (await a.admin.webhooks.create({ url: hookA.url, events: ["lead.created"] })).endpoint;
    await b.admin.webhooks.create({ url: hookB.url, events: ["lead.created"] });
    await a.lead();
    await runWebhookDispatch(db);
    expect(hookA.received).toHaveLength(1);
    expect(hookB.received).toHaveLength(0);
    const [deliveryA] = await a.admin.webhooks.deliveries({});

    expect((await b.admin.webhooks.list()).map((e) => e.id)).not.toContain(endpointA.id);
    expect(await b.admin.webhooks.deliveries({})).toEqual([]);
    for (const call of [
      () => b.admin.webhooks.deliveries({ endpointId: endpointA.id }),
      () => b.admin.webhooks.replay({ id: deliveryA!.id }),
      () => b.admin.webhooks.update({ id: endpointA.id, url: hookB.url }),
      () => b.admin.webhooks.delete({ id: endpointA.id }),
    ])
      await expect(call()).rejects.toMatchObject({ code: "NOT_FOUND" });
    await runWebhookDispatch(db);
    expect(hookA.received).toHaveLength(1);
    expect(await db.webhookEndpoint.findUnique({ where: { id: endpointA.id }, select: { url: true } })).toEqual({ url: hookA.url });
  });

  it("is admins' only, and refuses URLs that are not http(s)", async () => {
    const { team, manager } = await org();
    await expect(manager.webhooks.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
    const admin = callerFor(team.admin as TestUser);
    for (const url of ["ftp://example.com/x", "javascript:alert(1)", "https://user:pw@example.com/", "not a url"])
      await expect(admin.webhooks.create({ url, events: ["lead.created"] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("does not follow redirects, and refuses private addresses where they are not allowed", async () => {
    const { admin, lead } = await org();
    const target = await receiver();
    const redirecting = await receiver(() => ({ status: 307, headers: { location: target.url } }));
    const { endpoint } = await admin.webhooks.create({ url: redirecting.url, events: ["lead.created"] });
    await lead();
    await runWebhookDispatch(db);
    expect(redirecting.received).toHaveLength(1);
    expect(target.received).toHaveLength(0);
    const [redirected] = await admin.webhooks.deliveries({ endpointId: endpoint.id });
    expect(redirected).toMatchObject({ status: "pending", lastResponseStatus: 307 });
    expect(redirected!.lastError).toContain("redirects are not followed");

    await admin.webhooks.update({ id: endpoint.id, url: target.url });
    await runWebhookDispatch(db, { now: new Date(Date.now() + 60_000), allowPrivateAddresses: false });
    expect(target.received).toHaveLength(0);
    const [refused] = await admin.webhooks.deliveries({ endpointId: endpoint.id });
    expect(refused!.lastError).toContain("private address");
  });

  it("judges IPv4-mapped, NAT64 and other special addresses as the private targets they are", () => {
    for (const address of ["127.0.0.1", "10.1.2.3", "169.254.169.254", "::1", "::ffff:127.0.0.1", "::ffff:a9fe:a9fe", "::ffff:7f00:1", "64:ff9b::a9fe:a9fe", "fd00::1", "0.0.0.0", "not-an-ip"]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ["8.8.8.8", "93.184.216.34", "2606:4700:4700::1111"]) expect(isPrivateAddress(address), address).toBe(false);
  });

  it("refuses a private target however it is written: a mapped IPv6 literal, a name that resolves to loopback", async () => {
    const { admin, lead } = await org();
    const target = await receiver();
    const port = new URL(target.url).port;
    const { endpoint } = await admin.webhooks.create({ url: `http://[::ffff:7f00:1]:${port}/hooks`, events: ["lead.created"] });
    await lead();
    await runWebhookDispatch(db, { allowPrivateAddresses: false });
    const [mapped] = await admin.webhooks.deliveries({ endpointId: endpoint.id });
    expect(mapped!.lastError).toContain("private address");

    await admin.webhooks.update({ id: endpoint.id, url: `http://localhost:${port}/hooks` });
    await runWebhookDispatch(db, { now: new Date(Date.now() + 60_000), allowPrivateAddresses: false });
    const [named] = await admin.webhooks.deliveries({ endpointId: endpoint.id });
    expect(named!.lastError).toContain("private address");
    expect(target.received).toHaveLength(0);
  });

  it("a receiver that sends its headers and then stalls fails the attempt at the deadline instead of holding the run", async () => {
    const { admin, lead } = await org();
    const stalled: import("node:http").ServerResponse[] = [];
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "content-type": "text/plain" });
        res.write("partial");
        stalled.push(res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { endpoint } = await admin.webhooks.create({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slow`, events: ["lead.created"] });
      await lead();
      const started = performance.now();
      const result = await runWebhookDispatch(db, { timeoutMs: 1_500 });
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(result).toMatchObject({ attempted: 1, failed: 1 });
      const [delivery] = await admin.webhooks.deliveries({ endpointId: endpoint.id });
      expect(delivery!.lastError).toContain("No complete answer within 1.5 s");
    } finally {
      for (const res of stalled) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("a replay asked for while an attempt is in flight is kept and sent next, not overwritten", async () => {
    const { admin, lead } = await org();
    let deliveryId = "";
    let first = true;
    const hook = await receiver(async () => {
      if (first) {
        first = false;
        const [delivery] = await admin.webhooks.deliveries({ endpointId });
        deliveryId = delivery!.id;
        await admin.webhooks.replay({ id: deliveryId });
      }
      return { status: 200 };
    });
    const { endpoint } = await admin.webhooks.create({ url: hook.url, events: ["lead.created"] });
    const endpointId = endpoint.id;
    await lead();
    await runWebhookDispatch(db);
    expect(hook.received.length).toBeGreaterThanOrEqual(1);
    await runWebhookDispatch(db);
    expect(hook.received).toHaveLength(2);
    expect(hook.received[1]!.headers["webhook-id"]).toBe(hook.received[0]!.headers["webhook-id"]);
    const [delivery] = await admin.webhooks.deliveries({ endpointId });
    expect(delivery!.status).toBe("succeeded");
  });

  it("an endpoint deleted while its delivery is being sent: the attempt is dropped with it, and the run goes on", async () => {
    const { admin, lead } = await org();
    let endpointId = "";
    const hook = await receiver(async () => {
      await admin.webhooks.delete({ id: endpointId });
      return { status: 200 };
    });
    endpointId = (await admin.webhooks.create({ url: hook.url, events: ["lead.created"] })).endpoint.id;
    await lead();
    await expect(runWebhookDispatch(db)).resolves.toMatchObject({ attempted: expect.any(Number) });
    expect(hook.received).toHaveLength(1);
    expect(await db.webhookDelivery.count({ where: { endpointId } })).toBe(0);
  });

  it("keeps the delivery log for 30 days: older finished deliveries go with their attempts, pending ones stay", async () => {
    const { admin, lead } = await org();
    const hook = await receiver();
    const { endpoint } = await admin.webhooks.create({ url: hook.url, events: ["lead.created"] });
    for (let i = 0; i < 3; i++) await lead();
    await runWebhookDispatch(db);
    const [old, pendingOld, recent] = await db.webhookDelivery.findMany({ where: { endpointId: endpoint.id }, orderBy: { id: "asc" }, select: { id: true } });
    const longAgo = new Date(Date.now() - (WEBHOOK_LOG_RETENTION_DAYS + 1) * 86_400_000);
    await db.webhookDelivery.updateMany({ where: { id: { in: [old!.id, pendingOld!.id] } }, data: { createdAt: longAgo } });
    await db.webhookDelivery.update({ where: { id: pendingOld!.id }, data: { status: "pending", nextAttemptAt: new Date(Date.now() + 3_600_000) } });
    expect(await deleteOldWebhookDeliveries(db)).toBeGreaterThanOrEqual(1);
    expect((await db.webhookDelivery.findMany({ where: { endpointId: endpoint.id }, orderBy: { id: "asc" }, select: { id: true } })).map((d) => d.id)).toEqual([pendingOld!.id, recent!.id]);
    expect(await db.webhookAttempt.count({ where: { deliveryId: old!.id } })).toBe(0);
  });

  it("the worker sends a new delivery within seconds: the database wakes it (LISTEN) through the job registry", async () => {
    const { admin, lead } = await org();
    const hook = await receiver();
    await admin.webhooks.create({ url: hook.url, events: ["lead.created"] });
    // Everything due from the other tests is sent first, so only this one is left.
    await runWebhookDispatch(db, { now: new Date(Date.now() + 24 * 3_600_000) });
    await startWorkers({ pollingIntervalSeconds: 0.5 });
    try {
      await lead();
      expect((await waitFor(async () => hook.received.length, (n) => n >= 1, { timeoutMs: 15_000 }))).toBe(1);
    } finally {
      await stopQueue({ timeoutMs: 5_000 });
    }
  });

  it("raises the lead events (created, status changed, opted out) only for organizations with an endpoint listening for them", async () => {
    const { team, admin, lead } = await org();
    const leadEvents = () => db.realtimeEvent.count({ where: { organizationId: team.org.id, topic: "lead" } });
    const optOut = (phone: string) => db.suppression.create({ data: { organizationId: team.org.id, phone, reason: "keyword", evidence: "STOP", liveKey: `${phone}|` } });
    const quiet = await lead();
    await admin.leads.update({ id: quiet.id, patch: { status: "contacted" } });
    await optOut("+15125550901");
    expect(await leadEvents()).toBe(0);
    const optOutHook = await admin.webhooks.create({ url: (await receiver()).url, events: ["lead.opted_out"] });
    await optOut("+15125550902");
    expect(await db.realtimeEvent.findMany({ where: { organizationId: team.org.id, topic: "lead" }, select: { data: true } })).toEqual([
      { data: expect.objectContaining({ kind: "opted_out", reason: "keyword" }) },
    ]);
    await admin.webhooks.delete({ id: optOutHook.endpoint.id });
    await db.realtimeEvent.deleteMany({ where: { organizationId: team.org.id, topic: "lead" } });
    const hook = await receiver();
    const { endpoint } = await admin.webhooks.create({ url: hook.url, events: ["message.received", "lead.status_changed"] });
    const heard = await lead();
    expect(await leadEvents()).toBe(0);
    await admin.leads.update({ id: heard.id, patch: { status: "contacted" } });
    expect(await leadEvents()).toBe(1);
    await admin.webhooks.update({ id: endpoint.id, enabled: false });
    await admin.leads.update({ id: heard.id, patch: { status: "interested" } });
    expect(await leadEvents()).toBe(1);
  });

  it("lead events stay on the server: a browser's stream resuming across 600 of them still replays the event after them, and never sends one", async () => {
    const { team } = await org();
    const orgId = team.org.id;
    await raiseEvent(db, { organizationId: orgId, topic: "job", subjectId: "before" });
    const [cursor] = await db.realtimeEvent.findMany({ where: { organizationId: orgId, subjectId: "before" }, select: { id: true } });
    await db.$executeRaw`SELECT leadflow_raise_event(${orgId}, NULL, 'lead', 'lead-' || g, '{"kind":"created"}'::jsonb, NULL) FROM generate_series(1, 600) g`;
    await raiseEvent(db, { organizationId: orgId, topic: "inbox", subjectId: "after" });
    const hub = new RealtimeHub(env.DATABASE_URL, async () => null);
    const abort = new AbortController();
    const stream = organizationEvents(db, { organizationId: orgId, userId: team.admin.id, topics: null, lastEventId: cursor!.id.toString(), signal: abort.signal }, hub);
    const items: StreamItem[] = [];
    try {
      for (;;) {
        const next = await Promise.race([stream.next(), new Promise<null>((resolve) => setTimeout(() => resolve(null), 3_000))]);
        if (!next || next.done) break;
        items.push(next.value);
        if (next.value.kind === "event" && next.value.event.subjectId === "after") break;
      }
    } finally {
      abort.abort();
      await hub.close();
    }
    const events = items.flatMap((item) => (item.kind === "event" ? [item.event] : []));
    expect(events.map((e) => e.subjectId)).toContain("after");
    expect(events.filter((e) => (e.topic as string) === "lead")).toEqual([]);
  });
});
