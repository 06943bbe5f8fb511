import { describe, expect, it, vi } from "vitest";
import { parse } from "csv-parse/sync";
import { db } from "@/server/db";
import { campaignOrg, recordingSender } from "@/test/campaign-fixtures";
import { testSessionId, type TestUser } from "@/test/factories";
import { runCampaignDispatch } from "./dispatcher";
import { RECIPIENT_EXPORT_COLUMNS } from "./export";

const session = vi.hoisted(() => ({ current: null as { user: { id: string; email: string }; sessionId: string; expires: string } | null }));
vi.mock("@/server/auth/session", () => ({ getSession: async () => session.current }));
const { GET: exportRoute } = await import("@/app/api/campaigns/[id]/recipients.csv/route");

function signInAs(user: TestUser | null) {
  session.current = user ? { user: { id: user.id, email: user.email }, sessionId: testSessionId(user.id), expires: new Date(Date.now() + 60_000).toISOString() } : null;
}
const download = (id: string) => exportRoute(new Request(`http://test/api/campaigns/${id}/recipients.csv`), { params: Promise.resolve({ id }) });

describe("GET /api/campaigns/:id/recipients.csv", () => {
  it("streams every recipient with its exclusion or its message's state, for managers; 404 across organizations, 403 for users", async () => {
    const org = await campaignOrg();
    const sent = await org.lead([{}], "=HYPERLINK(\"x\")");
    const noPhone = await org.lead([]);
    const { id } = await org.campaign([sent.leadId, noPhone.leadId]);
    await org.manager.campaigns.preflight({ id });
    await org.manager.campaigns.launch({ id });
    await runCampaignDispatch(db, id, { signal: new AbortController().signal, sender: recordingSender().sender });

    signInAs(org.team.manager);
    const response = await download(id);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="Campaign \d+-recipients\.csv"$/);
    const [header, ...rows] = parse(await response.text()) as string[][];
    expect(header).toEqual([...RECIPIENT_EXPORT_COLUMNS]);
    const byLead = new Map(rows.map((row) => [row[0], Object.fromEntries(header!.map((name, i) => [name, row[i]]))]));
    expect(byLead.get(sent.leadId)).toMatchObject({ phone: sent.number, recipient_status: "sent", message_status: "queued", replied: "no", opted_out: "no", cost_cents: "2" });
    // A formula in an owner's name is neutralized, not executed by a spreadsheet.
    expect(byLead.get(sent.leadId)!.owner_name).toBe("'=HYPERLINK(\"x\")");
    expect(byLead.get(noPhone.leadId)).toMatchObject({ phone: "", recipient_status: "excluded", reason: "no_textable_phone" });
    expect(await db.auditLog.count({ where: { organizationId: org.orgId, action: "campaign_recipients.exported" } })).toBe(1);

    const other = await campaignOrg();
    signInAs(other.team.admin);
    expect((await download(id)).status).toBe(404);
    signInAs(org.team.user);
    expect((await download(id)).status).toBe(403);
    signInAs(null);
    expect((await download(id)).status).toBe(401);
  });
});
