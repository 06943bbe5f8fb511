import { describe, expect, it } from "vitest";
import { handleRestRequest } from "@/app/api/v1/rest-handler";
import { campaignOrg } from "@/test/campaign-fixtures";
import { callerFor } from "@/test/factories";

// The REST campaign reads (/api/v1/campaigns, campaignsRestRouter) answer what the app's own
// campaigns.get and campaigns.list answer — the same services — and only the key's organization's.

const restGet = (key: string, path: string) => handleRestRequest(new Request(`http://localhost/api/v1${path}`, { headers: { authorization: `Bearer ${key}` } }));

describe("campaigns over the REST API", () => {
  it("a launched campaign reads the same through a key as in the app, counters included; another organization's is 404, a key without the scope 403", async () => {
    const ours = await campaignOrg();
    const theirs = await campaignOrg();
    const { leadId } = await ours.lead();
    const id = await ours.launched([leadId]);
    const theirId = (await theirs.campaign([(await theirs.lead()).leadId])).id;
    const admin = callerFor(ours.team.admin);
    const key = (await admin.apiKeys.create({ name: "Reports", scopes: ["campaigns:read"] })).key;
    const leadsOnly = (await admin.apiKeys.create({ name: "Leads", scopes: ["leads:read"] })).key;

    const inApp = await ours.manager.campaigns.get({ id });
    const got = await restGet(key, `/campaigns/${id}`);
    expect(got.status).toBe(200);
    expect(await got.json()).toEqual(JSON.parse(JSON.stringify(inApp)));

    const listed = (await (await restGet(key, "/campaigns")).json()) as { id: string }[];
    expect(listed.map((c) => c.id)).toEqual((await ours.manager.campaigns.list()).map((c) => c.id));
    expect(listed.map((c) => c.id)).not.toContain(theirId);

    expect((await restGet(key, `/campaigns/${theirId}`)).status).toBe(404);
    expect((await restGet(leadsOnly, `/campaigns/${id}`)).status).toBe(403);
  });
});
