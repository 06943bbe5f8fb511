import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { validate } from "@readme/openapi-parser";
import { handleRestRequest } from "@/app/api/v1/rest-handler";
import { openApiDocument } from "@/app/api/v1/openapi-document";
import { GET as getOpenApiJson } from "@/app/api/v1/openapi.json/route";
import { db } from "@/server/db";
import { createLeadInput, listLeadsInput } from "@/server/leads/schema";
import { API_SCOPES } from "@/lib/api-scopes";
import { campaignOrg } from "@/test/campaign-fixtures";
import { callerFor, type TestUser } from "@/test/factories";

type ErrorBody = { error: { code: string; appCode: string; message: string; details: Record<string, unknown> | null; requestId: string } };

function rest(key: string | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const hasBody = body !== undefined;
  return handleRestRequest(
    new Request(`http://localhost/api/v1${path}`, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(hasBody ? { "content-type": "application/json" } : {}), ...headers },
      body: hasBody ? (typeof body === "string" ? body : JSON.stringify(body)) : undefined,
    }),
  );
}

async function json<T = unknown>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

async function expectError(response: Response, status: number, appCode: string): Promise<ErrorBody["error"]> {
  const body = await json<ErrorBody>(response);
  expect({ status: response.status, appCode: body.error?.appCode }, body.error?.message).toEqual({ status, appCode });
  expect(body.error.message.length).toBeGreaterThan(5);
  expect(body.error.requestId).toBeTruthy();
  return body.error;
}

describe("public REST API with API keys (issue 13 item 3)", () => {
  let ours: Awaited<ReturnType<typeof campaignOrg>>;
  let theirs: Awaited<ReturnType<typeof campaignOrg>>;
  let admin: TestUser;
  let fullKey: string;
  let fullKeyId: string;
  let readKey: string;
  let ourLeadId: string;
  let ourCampaignId: string;
  let theirLeadId: string;
  let theirNoteId: string;
  let theirTagId: string;
  let theirCampaignId: string;

  beforeAll(async () => {
    ours = await campaignOrg();
    theirs = await campaignOrg();
    admin = ours.team.admin;
    ourLeadId = (await ours.lead()).leadId;
    ourCampaignId = (await ours.campaign([ourLeadId])).id;
    theirLeadId = (await theirs.lead([{}], "THEIR SECRET OWNER")).leadId;
    theirCampaignId = (await theirs.campaign([theirLeadId])).id;
    const theirAdmin = callerFor(theirs.team.admin);
    theirNoteId = (await theirAdmin.notes.add({ leadId: theirLeadId, body: "their secret note" })).id;
    theirTagId = (await theirAdmin.tags.create({ name: "their-secret-tag" })).id;
    const caller = callerFor(admin);
    const full = await caller.apiKeys.create({ name: "Zapier", scopes: API_SCOPES });
    fullKey = full.key;
    fullKeyId = full.apiKey.id;
    readKey = (await caller.apiKeys.create({ name: "Read only", scopes: ["leads:read", "tags:read", "campaigns:read"] })).key;
  });

  describe("keys in Settings", () => {
    it("an admin creates a key: shown once, stored as its SHA-256 only, listed with prefix, scopes and status; audited without the secret", async () => {
      const caller = callerFor(admin);
      const created = await caller.apiKeys.create({ name: "CRM sync", scopes: ["leads:read", "leads:write"], expiresInDays: 30 });
      expect(created.key).toMatch(/^lf_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
      expect(created.key.startsWith(created.apiKey.prefix + "_")).toBe(true);
      const row = await db.apiKey.findUniqueOrThrow({ where: { id: created.apiKey.id } });
      expect(row.secretHash).toBe(createHash("sha256").update(created.key).digest("hex"));
      expect(JSON.stringify(row)).not.toContain(created.key.slice(12));
      expect(row.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);

      const listed = (await caller.apiKeys.list()).find((key) => key.id === created.apiKey.id)!;
      expect(listed).toMatchObject({ name: "CRM sync", prefix: created.apiKey.prefix, scopes: ["leads:read", "leads:write"], status: "active", lastUsedAt: null });
      expect(JSON.stringify(await caller.apiKeys.list())).not.toContain(created.key.slice(12));

      const audit = await db.auditLog.findFirstOrThrow({ where: { organizationId: ours.orgId, action: "api_key.created", targetId: created.apiKey.id } });
      expect(audit.actorId).toBe(admin.id);
      expect(JSON.stringify(audit.details)).not.toContain(created.key.slice(12));
    });

    it("managers and users can neither list, create nor revoke keys", async () => {
      for (const member of [ours.team.manager, ours.team.user]) {
        const caller = callerFor(member);
        for (const attempt of [() => caller.apiKeys.list(), () => caller.apiKeys.create({ name: "x", scopes: ["leads:read"] }), () => caller.apiKeys.revoke({ id: fullKeyId })]) {
          const error = await attempt().catch((e: unknown) => e);
          expect((error as TRPCError).code).toBe("FORBIDDEN");
        }
      }
    });

    it("refuses a key without scopes or with an unknown scope", async () => {
      const caller = callerFor(admin);
      for (const scopes of [[], ["leads:delete"], ["admin:write"]]) {
        const error = await caller.apiKeys.create({ name: "bad", scopes }).catch((e: unknown) => e);
        expect((error as TRPCError).code).toBe("BAD_REQUEST");
      }
    });

    it("revoking is audited and bites on the key's next request (401), and the list says revoked", async () => {
      const caller = callerFor(admin);
      const { key, apiKey } = await caller.apiKeys.create({ name: "to revoke", scopes: ["leads:read"] });
      expect((await rest(key, "GET", "/leads")).status).toBe(200);
      expect((await caller.apiKeys.list()).find((k) => k.id === apiKey.id)!.lastUsedAt).toBeInstanceOf(Date);
      const revoked = await caller.apiKeys.revoke({ id: apiKey.id });
      expect(revoked.status).toBe("revoked");
      const error = await expectError(await rest(key, "GET", "/leads"), 401, "UNAUTHORIZED");
      expect(error.message).toMatch(/revoked/);
      expect(await db.auditLog.count({ where: { organizationId: ours.orgId, action: "api_key.revoked", targetId: apiKey.id } })).toBe(1);
      // Revoking again changes nothing and records nothing more.
      await caller.apiKeys.revoke({ id: apiKey.id });
      expect(await db.auditLog.count({ where: { organizationId: ours.orgId, action: "api_key.revoked", targetId: apiKey.id } })).toBe(1);
    });

    it("an admin cannot revoke another organization's key (NOT_FOUND, and it keeps working)", async () => {
      const theirKey = await callerFor(theirs.team.admin).apiKeys.create({ name: "theirs", scopes: ["leads:read"] });
      const error = await callerFor(admin).apiKeys.revoke({ id: theirKey.apiKey.id }).catch((e: unknown) => e);
      expect((error as TRPCError).code).toBe("NOT_FOUND");
      expect((await rest(theirKey.key, "GET", "/leads")).status).toBe(200);
    });
  });

  describe("authentication", () => {
    it("refuses a request without a key, with a malformed one and with an unknown one (401)", async () => {
      expect((await expectError(await rest(null, "GET", "/leads"), 401, "UNAUTHORIZED")).message).toMatch(/Authorization: Bearer/);
      await expectError(await rest("not-a-key", "GET", "/leads"), 401, "UNAUTHORIZED");
      await expectError(await rest(`lf_AAAAAAAA_${"x".repeat(43)}`, "GET", "/leads"), 401, "UNAUTHORIZED");
      await expectError(await rest(null, "GET", "/leads", undefined, { authorization: "Basic abc" }), 401, "UNAUTHORIZED");
    });

    it("an expired key is refused on its next request (401)", async () => {
      const { key, apiKey } = await callerFor(admin).apiKeys.create({ name: "short-lived", scopes: ["leads:read"], expiresInDays: 1 });
      expect((await rest(key, "GET", "/leads")).status).toBe(200);
      await db.apiKey.update({ where: { id: apiKey.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
      expect((await expectError(await rest(key, "GET", "/leads"), 401, "UNAUTHORIZED")).message).toMatch(/expired/);
      expect((await callerFor(admin).apiKeys.list()).find((k) => k.id === apiKey.id)!.status).toBe("expired");
    });

    it("a key stops working when the admin who created it is deactivated", async () => {
      const team = await campaignOrg();
      const { key } = await callerFor(team.team.admin).apiKeys.create({ name: "leaver", scopes: ["leads:read"] });
      expect((await rest(key, "GET", "/leads")).status).toBe(200);
      await db.membership.updateMany({ where: { userId: team.team.admin.id }, data: { deactivatedAt: new Date() } });
      expect((await expectError(await rest(key, "GET", "/leads"), 401, "UNAUTHORIZED")).message).toMatch(/no longer active/);
    });
  });

  describe("operations", () => {
    it("leads: list, get, create and update — in the key's organization only, each mutation audited", async () => {
      const list = await rest(fullKey, "GET", "/leads?limit=10&sort=createdAt&direction=desc");
      expect(list.status).toBe(200);
      expect(list.headers.get("x-request-id")).toBeTruthy();
      const page = await json<{ items: { id: string; ownerName: string | null }[]; nextCursor: string | null }>(list);
      expect(page.items.map((lead) => lead.id)).toContain(ourLeadId);
      expect(page.items.map((lead) => lead.id)).not.toContain(theirLeadId);
      expect(JSON.stringify(page)).not.toContain("THEIR SECRET OWNER");

      const got = await rest(fullKey, "GET", `/leads/${ourLeadId}`);
      expect(got.status).toBe(200);
      expect((await json<{ id: string }>(got)).id).toBe(ourLeadId);

      const created = await rest(fullKey, "POST", "/leads", { addressLine1: "77 Api Way", city: "Austin", state: "tx", zip: "78702", ownerName: "API, OWNER", absentee: true, beds: 3 });
      expect(created.status).toBe(200);
      const createdBody = await json<{ created: boolean; lead: { id: string; state: string; absentee: boolean; beds: number } }>(created);
      expect(createdBody).toMatchObject({ created: true, lead: { state: "TX", absentee: true, beds: 3 } });
      const row = await db.lead.findUniqueOrThrow({ where: { id: createdBody.lead.id } });
      expect(row.organizationId).toBe(ours.orgId);

      const filtered = await json<{ items: { id: string }[] }>(await rest(fullKey, "GET", "/leads?q=Api%20Way&status=new&status=contacted"));
      expect(filtered.items.map((lead) => lead.id)).toEqual([createdBody.lead.id]);

      const updated = await rest(fullKey, "PATCH", `/leads/${createdBody.lead.id}`, { status: "contacted", ownerName: "API, RENAMED", beds: null });
      expect(updated.status).toBe(200);
      expect(await json(updated)).toMatchObject({ id: createdBody.lead.id, status: "contacted", ownerName: "API, RENAMED", beds: null });

      for (const action of ["api.leads.create", "api.leads.update"]) {
        const audit = await db.auditLog.findFirstOrThrow({ where: { organizationId: ours.orgId, action }, orderBy: { createdAt: "desc" } });
        expect(audit).toMatchObject({ targetType: "api_key", targetId: fullKeyId, actorId: admin.id });
        expect(audit.details).toMatchObject({ resultId: createdBody.lead.id });
      }
      // Reads are not audited.
      expect(await db.auditLog.count({ where: { organizationId: ours.orgId, action: { in: ["api.leads.list", "api.leads.get"] } } })).toBe(0);
    });

    it("another organization's lead, note, tag and campaign ids are 404, and nothing of theirs changes", async () => {
      const before = await db.lead.findUniqueOrThrow({ where: { id: theirLeadId }, include: { notes: true, tags: true } });
      await expectError(await rest(fullKey, "GET", `/leads/${theirLeadId}`), 404, "NOT_FOUND");
      await expectError(await rest(fullKey, "PATCH", `/leads/${theirLeadId}`, { status: "dead" }), 404, "NOT_FOUND");
      await expectError(await rest(fullKey, "POST", `/leads/${theirLeadId}/notes`, { body: "sneaky" }), 404, "NOT_FOUND");
      await expectError(await rest(fullKey, "PATCH", `/notes/${theirNoteId}`, { body: "sneaky" }), 404, "NOT_FOUND");
      await expectError(await rest(fullKey, "PUT", `/leads/${theirLeadId}/tags`, { tagIds: [] }), 404, "NOT_FOUND");
      const foreignTag = await rest(fullKey, "PUT", `/leads/${ourLeadId}/tags`, { tagIds: [theirTagId] });
      expect(foreignTag.status, "a foreign tag id is refused").toBeGreaterThanOrEqual(400);
      expect(foreignTag.status).toBeLessThan(500);
      await expectError(await rest(fullKey, "GET", `/campaigns/${theirCampaignId}`), 404, "NOT_FOUND");
      expect(await db.lead.findUniqueOrThrow({ where: { id: theirLeadId }, include: { notes: true, tags: true } })).toEqual(before);
    });

    it("tags: list, create, set a lead's tags", async () => {
      const created = await rest(fullKey, "POST", "/tags", { name: "from-api", color: "green" });
      expect(created.status).toBe(200);
      const tag = await json<{ id: string; name: string; color: string }>(created);
      expect(tag).toMatchObject({ name: "from-api", color: "green" });
      const set = await rest(fullKey, "PUT", `/leads/${ourLeadId}/tags`, { tagIds: [tag.id] });
      expect(set.status).toBe(200);
      expect((await json<{ tags: { id: string }[] }>(set)).tags.map((t) => t.id)).toEqual([tag.id]);
      const list = await json<{ id: string; name: string; leadCount: number }[]>(await rest(fullKey, "GET", "/tags"));
      expect(list.find((t) => t.id === tag.id)).toMatchObject({ leadCount: 1 });
      expect(JSON.stringify(list)).not.toContain("their-secret-tag");
    });

    it("notes: add to a lead and edit", async () => {
      const added = await rest(fullKey, "POST", `/leads/${ourLeadId}/notes`, { body: "Called from the CRM" });
      expect(added.status).toBe(200);
      const note = await json<{ id: string; body: string; author: { id: string } | null }>(added);
      expect(note).toMatchObject({ body: "Called from the CRM", author: { id: admin.id } });
      const edited = await rest(fullKey, "PATCH", `/notes/${note.id}`, { body: "Called twice" });
      expect(await json(edited)).toMatchObject({ id: note.id, body: "Called twice" });
      expect(await db.auditLog.count({ where: { organizationId: ours.orgId, action: { in: ["api.notes.add", "api.notes.update"] } } })).toBe(2);
    });

    it("campaigns: list and get, our organization's only", async () => {
      const list = await json<{ id: string }[]>(await rest(readKey, "GET", "/campaigns"));
      expect(list.map((c) => c.id)).toContain(ourCampaignId);
      expect(list.map((c) => c.id)).not.toContain(theirCampaignId);
      const got = await rest(readKey, "GET", `/campaigns/${ourCampaignId}`);
      expect(got.status).toBe(200);
      expect((await json<{ id: string }>(got)).id).toBe(ourCampaignId);
    });

    it("suppressions: a number added through the API is on our opt-out list only", async () => {
      const added = await rest(fullKey, "POST", "/suppressions", { phone: "(512) 555-0142", evidence: "Opted out on our web form" });
      expect(added.status).toBe(200);
      expect(await json(added)).toMatchObject({ created: true, suppression: { phone: "+15125550142" } });
      expect(await db.suppression.count({ where: { organizationId: ours.orgId, phone: "+15125550142" } })).toBe(1);
      expect(await db.suppression.count({ where: { organizationId: theirs.orgId, phone: "+15125550142" } })).toBe(0);
      const again = await json<{ created: boolean }>(await rest(fullKey, "POST", "/suppressions", { phone: "+15125550142", evidence: "again" }));
      expect(again.created).toBe(false);
    });

    it("scopes: a read-only key reads but every write is 403, and nothing is written", async () => {
      expect((await rest(readKey, "GET", "/leads")).status).toBe(200);
      const leadsBefore = await db.lead.count({ where: { organizationId: ours.orgId } });
      const refused = await expectError(await rest(readKey, "POST", "/leads", { addressLine1: "1 Read Only Rd", city: "Austin", state: "TX", zip: "78701" }), 403, "FORBIDDEN");
      expect(refused.message).toMatch(/leads:write/);
      expect(refused.details).toMatchObject({ requiredScope: "leads:write" });
      await expectError(await rest(readKey, "PATCH", `/leads/${ourLeadId}`, { status: "dead" }), 403, "FORBIDDEN");
      await expectError(await rest(readKey, "POST", "/tags", { name: "nope" }), 403, "FORBIDDEN");
      await expectError(await rest(readKey, "POST", `/leads/${ourLeadId}/notes`, { body: "nope" }), 403, "FORBIDDEN");
      await expectError(await rest(readKey, "POST", "/suppressions", { phone: "+15125550143", evidence: "nope" }), 403, "FORBIDDEN");
      expect(await db.lead.count({ where: { organizationId: ours.orgId } })).toBe(leadsBefore);
      expect((await db.lead.findUniqueOrThrow({ where: { id: ourLeadId } })).status).not.toBe("dead");
    });

    it("a key acts with its creator's role: a key made by an admin who is now a user cannot create leads (managers only)", async () => {
      const team = await campaignOrg();
      const { key } = await callerFor(team.team.admin).apiKeys.create({ name: "demoted", scopes: ["leads:read", "leads:write"] });
      await db.membership.updateMany({ where: { userId: team.team.admin.id }, data: { role: "user" } });
      expect((await expectError(await rest(key, "POST", "/leads", { addressLine1: "2 Demoted St", city: "Austin", state: "TX", zip: "78701" }), 403, "FORBIDDEN")).message).toMatch(/manager/);
      expect((await rest(key, "GET", "/leads")).status).toBe(200);
    });
  });

  describe("tenancy: every REST operation is proven against another organization's data", () => {
    type Proof = { method: string; path: string; body?: unknown; expect: "not-found" | "ours-only" };
    /** One proof per operation of the OpenAPI document (the test below fails when one is missing). */
    const proofs = (): Record<string, Proof> => ({
      "GET /leads": { method: "GET", path: "/leads?limit=100&archived=include", expect: "ours-only" },
      "GET /leads/{id}": { method: "GET", path: `/leads/${theirLeadId}`, expect: "not-found" },
      // Their lead's very address and owner: a new lead of ours, never theirs returned as a duplicate.
      "POST /leads": { method: "POST", path: "/leads", body: theirAddress, expect: "ours-only" },
      "PATCH /leads/{id}": { method: "PATCH", path: `/leads/${theirLeadId}`, body: { status: "dead" }, expect: "not-found" },
      "PUT /leads/{leadId}/tags": { method: "PUT", path: `/leads/${theirLeadId}/tags`, body: { tagIds: [theirTagId] }, expect: "not-found" },
      "POST /leads/{leadId}/notes": { method: "POST", path: `/leads/${theirLeadId}/notes`, body: { body: "tenancy" }, expect: "not-found" },
      "PATCH /notes/{id}": { method: "PATCH", path: `/notes/${theirNoteId}`, body: { body: "tenancy" }, expect: "not-found" },
      "GET /tags": { method: "GET", path: "/tags", expect: "ours-only" },
      "POST /tags": { method: "POST", path: "/tags", body: { name: "their-secret-tag" }, expect: "ours-only" },
      "GET /campaigns": { method: "GET", path: "/campaigns", expect: "ours-only" },
      "GET /campaigns/{id}": { method: "GET", path: `/campaigns/${theirCampaignId}`, expect: "not-found" },
      "POST /suppressions": { method: "POST", path: "/suppressions", body: { phone: "+15125550171", evidence: "tenancy", leadId: theirLeadId }, expect: "not-found" },
    });
    let theirAddress: Record<string, string | null>;
    let fingerprints: string[];
    let theirBefore: unknown;
    const snapshot = () =>
      db.organization.findUniqueOrThrow({
        where: { id: theirs.orgId },
        include: { leads: { include: { notes: true, tags: true, activities: true } }, tags: true, suppressions: true, campaigns: true, auditLogs: true, apiKeys: true },
      });

    beforeAll(async () => {
      const lead = await db.lead.findUniqueOrThrow({ where: { id: theirLeadId } });
      theirAddress = { addressLine1: lead.addressLine1, city: lead.city, state: lead.state, zip: lead.zip, ownerName: lead.ownerName };
      fingerprints = [theirs.orgId, theirLeadId, theirNoteId, theirTagId, theirCampaignId, "THEIR SECRET OWNER", "their secret note", theirs.team.admin.id, theirs.team.admin.email];
      theirBefore = await snapshot();
    });

    it("lists a proof for every operation of the document", () => {
      const document = openApiDocument() as unknown as { paths: Record<string, Record<string, unknown>> };
      const operations = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
      expect(Object.keys(proofs()).sort()).toEqual(operations.sort());
    });

    it("each answers 404 for their ids, or only our organization's data — and changes nothing of theirs", async () => {
      for (const [operation, proof] of Object.entries(proofs())) {
        const response = await rest(fullKey, proof.method, proof.path, proof.body);
        const text = await response.text();
        if (proof.expect === "not-found") {
          expect({ operation, status: response.status }, text).toEqual({ operation, status: 404 });
          expect((JSON.parse(text) as ErrorBody).error.appCode).toBe("NOT_FOUND");
        } else {
          expect({ operation, status: response.status }, text).toEqual({ operation, status: 200 });
        }
        // What the request itself sent (their address, to a create) may come back; nothing else of theirs.
        const sent = JSON.stringify(proof.body ?? null);
        for (const fingerprint of fingerprints.filter((f) => !sent.includes(f))) expect(text, `${operation} shows ${fingerprint}`).not.toContain(fingerprint);
        if (operation === "POST /leads") expect(JSON.parse(text)).toMatchObject({ created: true, lead: { ownerName: "THEIR SECRET OWNER" } });
      }
      expect(await snapshot()).toEqual(theirBefore);
    });
  });

  describe("bad input is a clear 4xx in the app's error body, never a 500", () => {
    it("refused fields are named", async () => {
      const error = await expectError(await rest(fullKey, "POST", "/leads", { city: "Austin", state: "Texas", zip: "7870" }), 400, "BAD_REQUEST");
      expect(error.message).toMatch(/Please check the request/);
      expect(Object.keys((error.details as { fieldErrors: Record<string, string[]> }).fieldErrors)).toEqual(expect.arrayContaining(["addressLine1", "state", "zip"]));
      const query = await expectError(await rest(fullKey, "GET", "/leads?limit=1000"), 400, "BAD_REQUEST");
      expect((query.details as { fieldErrors: Record<string, string[]> }).fieldErrors).toHaveProperty("limit");
      const zip = await expectError(await rest(fullKey, "GET", "/leads?zip=abc"), 400, "BAD_REQUEST");
      expect((zip.details as { fieldErrors: Record<string, string[]> }).fieldErrors).toHaveProperty("zip");
    });

    it.each([
      ["GET", "/leads?limit=abc", undefined, 400],
      ["GET", "/leads?hasPhone=maybe", undefined, 400],
      ["GET", "/leads?status=open", undefined, 400],
      ["GET", "/leads?sort=password", undefined, 400],
      ["GET", "/leads?scoreMin=-5", undefined, 400],
      ["POST", "/leads", "{not json", 400],
      ["POST", "/leads", "[1,2,3]", 400],
      ["POST", "/leads", "null", 400],
      ["POST", "/leads", '"text"', 400],
      ["POST", "/leads", { addressLine1: "1 Nul\u0000 St", city: "Austin", state: "TX", zip: "78701" }, 400],
      ["POST", "/leads", { addressLine1: "1 Main St", city: "Austin", state: "TX", zip: "78701", beds: "three", absentee: "yes" }, 400],
      ["PATCH", "/leads/x", { status: "flying" }, 400],
      ["PATCH", `/leads/${"x".repeat(300)}`, { status: "new" }, 400],
      ["POST", "/suppressions", { phone: "not a phone", evidence: "x" }, 400],
      ["PUT", "/leads/x/tags", { tagIds: "abc" }, 400],
      ["POST", "/leads", "[".repeat(5000) + "]".repeat(5000), 400],
      ["POST", "/tags", String.raw`{"name":"\ud800 lone surrogate, escaped in JSON"}`, 400],
      ["GET", "/nothing-here", undefined, 404],
      ["DELETE", "/leads", undefined, 404],
    ] as const)("%s %s → %s", async (method, path, body, status) => {
      const response = await rest(fullKey, method, path, body);
      expect(response.status).toBe(status);
      const error = (await json<ErrorBody>(response)).error;
      expect(error.code).toBeTruthy();
      expect(error.appCode).toBe(status === 404 ? "NOT_FOUND" : "BAD_REQUEST");
    });

    it("a body that is not JSON, or too large, is refused before anything runs", async () => {
      await expectError(await rest(fullKey, "POST", "/tags", "name=x", { "content-type": "application/x-www-form-urlencoded" }), 400, "BAD_REQUEST");
      await expectError(await rest(fullKey, "POST", "/tags", "name=x", { "content-type": "text/plain" }), 400, "BAD_REQUEST");
      await expectError(await rest(fullKey, "POST", "/tags", { name: "x".repeat(300_000) }), 413, "PAYLOAD_TOO_LARGE");
    });

    it("the REST layer leaves the app's own schemas as strict as they were (trpc-to-openapi's coercion is shielded off)", async () => {
      // Requests that make trpc-to-openapi coerce the inputs it handles (body and query).
      await rest(fullKey, "POST", "/leads", { addressLine1: "5 Shield St", city: "Austin", state: "TX", zip: "78701", absentee: false, beds: 2 });
      await rest(fullKey, "GET", "/leads?hasPhone=true&scoreMin=1");
      const base = { addressLine1: "5 Shield St", city: "Austin", state: "TX", zip: "78701" };
      expect(createLeadInput.safeParse({ ...base, absentee: "false" }).success).toBe(false);
      expect(createLeadInput.safeParse({ ...base, beds: "2" }).success).toBe(false);
      expect(listLeadsInput.safeParse({ filters: { hasPhone: "false" } }).success).toBe(false);
      expect(listLeadsInput.safeParse({ limit: "10" }).success).toBe(false);
    });
  });

  it("rate limit: of 30 concurrent requests against a limit of 10 a minute, exactly 10 pass; the rest get 429 with Retry-After", async () => {
    const { key, apiKey } = await callerFor(admin).apiKeys.create({ name: "limited", scopes: ["tags:read"], rateLimitPerMinute: 10 });
    expect(apiKey.rateLimitPerMinute).toBe(10);
    // One fixed window: start well inside a minute.
    const second = new Date().getUTCSeconds();
    if (second >= 50) await new Promise((resolve) => setTimeout(resolve, (61 - second) * 1000));
    const responses = await Promise.all(Array.from({ length: 30 }, () => rest(key, "GET", "/tags")));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(20);
    for (const response of responses.filter((r) => r.status === 429)) {
      const retryAfter = Number(response.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect((await json<ErrorBody>(response)).error.appCode).toBe("RATE_LIMITED");
    }
    // Other keys have their own windows.
    expect((await rest(readKey, "GET", "/tags")).status).toBe(200);
  }, 30_000);

  describe("OpenAPI document", () => {
    it("is served at /api/v1/openapi.json and validates as OpenAPI 3.1, with every operation", async () => {
      const response = getOpenApiJson(new Request("http://localhost/api/v1/openapi.json"));
      expect(response.status).toBe(200);
      const document = await json<{ openapi: string; paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown>; security?: unknown }>>; components: { schemas: Record<string, unknown> } }>(response);
      expect(document.openapi).toBe("3.1.0");
      const result = await validate(structuredClone(document) as never);
      expect(result.valid, JSON.stringify(result)).toBe(true);

      const operations = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
      expect(operations.sort()).toEqual(
        [
          "GET /leads",
          "POST /leads",
          "GET /leads/{id}",
          "PATCH /leads/{id}",
          "PUT /leads/{leadId}/tags",
          "POST /leads/{leadId}/notes",
          "PATCH /notes/{id}",
          "GET /tags",
          "POST /tags",
          "GET /campaigns",
          "GET /campaigns/{id}",
          "POST /suppressions",
        ].sort(),
      );
      for (const item of Object.values(document.paths)) {
        for (const operation of Object.values(item)) {
          expect(operation.security).toEqual([{ apiKey: [] }]);
          expect(API_SCOPES).toContain((operation as Record<string, unknown>)["x-scope"]);
          expect(operation.responses).toHaveProperty("429");
          expect(operation.responses["401"]).toMatchObject({ content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } });
        }
      }
      expect(document.components.schemas).toHaveProperty("Error");
      expect(openApiDocument()).toBe(openApiDocument());
    });

    it("documents the app's field schemas: the create-lead body and the list's query parameters", () => {
      const document = openApiDocument() as unknown as {
        paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown>; required?: string[] } }> } }>>;
      };
      const body = document.paths["/leads"]!.post!.requestBody!.content["application/json"]!.schema;
      expect(Object.keys(body.properties ?? {})).toEqual(expect.arrayContaining(["addressLine1", "city", "state", "zip", "ownerName", "absentee", "status", "idempotencyKey"]));
      expect(body.required).toEqual(expect.arrayContaining(["addressLine1", "city", "state", "zip"]));
      expect(body.properties!.absentee).toMatchObject({ type: ["boolean", "null"] });
      const parameters = document.paths["/leads"]!.get!.parameters!.map((p) => `${p.in}:${p.name}`);
      expect(parameters).toEqual(expect.arrayContaining(["query:status", "query:q", "query:cursor", "query:limit", "query:hasPhone"]));
      expect(document.paths["/leads/{id}"]!.get!.parameters!.map((p) => `${p.in}:${p.name}`)).toEqual(["path:id"]);
      expect((document.paths["/leads"]!.post as Record<string, unknown>)["x-scope"]).toBe("leads:write");
      expect((document.paths["/leads"]!.post as { description?: string }).description).toMatch(/manager role/);
    });
  });
});
