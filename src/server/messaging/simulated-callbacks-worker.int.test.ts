import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { startWorkers } from "@/server/jobs/handlers";
import { stopQueue } from "@/server/jobs/queue";
import { createSandboxSmsSender } from "@/server/providers/sandbox/sms-sender";
import { createTeam } from "@/test/factories";
import { waitFor } from "@/test/wait-for";
import { sendSms } from "./send";
import { allowSendingAtAnyHour } from "@/test/compliance-fixtures";

beforeAll(async () => {
  await startWorkers({ pollingIntervalSeconds: 0.5 });
});

afterAll(async () => {
  await stopQueue({ timeoutMs: 1000 });
});

describe("simulated status callbacks with a running worker", () => {
  it("a simulated send is still queued when it returns, then ends delivered with both status events, in order", async () => {
    const team = await createTeam();
    await allowSendingAtAnyHour(team.org.id);
    const orgId = team.org.id;
    await db.smsSenderIdentity.create({ data: { organizationId: orgId, kind: "phone_number", value: "+12145550100" } });
    await db.budgetSetting.create({ data: { organizationId: orgId, provider: "twilio_sms", costPerCallCents: 3, dailyCapCents: 10_000 } });
    const ctx = { db, orgId, userId: team.manager.id, requestId: `test-${orgId}` };
    const sent = await sendSms(ctx, { phone: "+12145550190", body: "Hello from the simulator", kind: "inbox_reply" }, createSandboxSmsSender());
    expect(sent.status).toBe("queued");

    const message = await waitFor(
      () => db.message.findUniqueOrThrow({ where: { id: sent.id }, select: { status: true } }),
      (m) => m.status === "delivered",
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    expect(message.status).toBe("delivered");
    const events = await db.messageStatusEvent.findMany({ where: { messageId: sent.id }, orderBy: { receivedAt: "asc" }, select: { status: true } });
    expect(events.map((e) => e.status)).toEqual(["sent", "delivered"]);
  });
});
