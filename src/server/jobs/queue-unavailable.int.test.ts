import type PgBoss from "pg-boss";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "@/server/db";
import { AppError, isAppError } from "@/server/errors";
import { spawnScript } from "@/test/child/spawn";
import { callerFor, createTeam } from "@/test/factories";
import { storeUpload } from "@/server/leads/import/upload";
import { handleInboundWebhook } from "@/server/messaging/webhooks";
import { enqueue, stopQueue } from "./queue";

/** pg-boss as it is, except that start or send can be made to fail like an unreachable database. */
const outage = vi.hoisted(() => ({ start: false, send: false }));
vi.mock("pg-boss", async (importOriginal) => {
  const { default: RealBoss } = await importOriginal<{ default: typeof PgBoss }>();
  class FlakyBoss extends RealBoss {
    constructor(options: PgBoss.ConstructorOptions) {
      super(options);
      // pg-boss assigns send per instance, so it is wrapped here rather than overridden.
      const send = this.send.bind(this) as (...args: unknown[]) => Promise<string | null>;
      Object.assign(this, {
        send: async (...args: unknown[]) => {
          if (outage.send) throw new Error("Connection terminated unexpectedly");
          return send(...args);
        },
      });
    }
    override async start() {
      if (outage.start) throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
      return super.start();
    }
  }
  return { default: FlakyBoss };
});

let team: Awaited<ReturnType<typeof createTeam>>;
let leadId: string;

beforeAll(async () => {
  team = await createTeam("Queue outage");
  const { lead } = await callerFor(team.manager).leads.create({ addressLine1: "100 Congress Ave", city: "Austin", state: "TX", zip: "78701", ownerName: "Pat Doe" });
  leadId = lead.id;
});

beforeEach(async () => {
  outage.start = false;
  outage.send = false;
  await stopQueue({ timeoutMs: 1000 });
});

afterAll(async () => {
  outage.start = false;
  outage.send = false;
  await stopQueue({ timeoutMs: 1000 });
});

const startBulk = () => callerFor(team.manager).skipTrace.startBulk({ target: { ids: [leadId] }, force: true });

/** Whatever a bulk trace run would leave behind: records, spend, a traced lead. */
async function traceTraces() {
  const [records, spend, lead] = await Promise.all([
    db.skipTraceRecord.count({ where: { leadId } }),
    db.spendEntry.count({ where: { organizationId: team.org.id } }),
    db.lead.findUniqueOrThrow({ where: { id: leadId }, select: { skipTracedAt: true } }),
  ]);
  return { records, spend, tracedAt: lead.skipTracedAt };
}

async function expectQueueUnavailable(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isAppError(error, "QUEUE_UNAVAILABLE")).toBe(true);
  const appError = error as AppError;
  expect(appError.code).toBe("SERVICE_UNAVAILABLE");
  expect(appError.message).toMatch(/queue is unavailable/);
  expect(appError.message).toMatch(/nothing was charged/);
  expect(appError.message).toMatch(/try again in a minute/i);
  expect(appError.retryAfterSeconds).toBeGreaterThan(0);
}

describe("when the job queue is down, nothing runs in the web process", () => {
  it("refuses a bulk skip trace when pg-boss cannot start: a clear 503, the job row marked failed, nothing traced or charged", async () => {
    outage.start = true;
    await expectQueueUnavailable(startBulk());
    const jobs = await db.skipTraceJob.findMany({ where: { organizationId: team.org.id } });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ status: "failed", processed: 0, costCents: 0 });
    expect(jobs[0]!.stopReason).toMatch(/queue was unavailable/);
    expect(jobs[0]!.finishedAt).not.toBeNull();
    // The old fallback ran the trace in this process a tick later.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await traceTraces()).toEqual({ records: 0, spend: 0, tracedAt: null });
    expect(await db.skipTraceJob.findUniqueOrThrow({ where: { id: jobs[0]!.id } })).toMatchObject({ status: "failed", processed: 0 });
  });

  it("refuses an import when pg-boss cannot start: the import row is marked failed and no lead is created", async () => {
    outage.start = true;
    const csv = new TextEncoder().encode("Address,City,State,Zip,Owner\n1 Outage Way,Austin,TX,78701,Sam Roe\n2 Outage Way,Austin,TX,78701,Kim Poe\n");
    const upload = await storeUpload({ db, orgId: team.org.id, userId: team.manager.id }, { fileName: "outage.csv", body: (async function* () { yield csv; })() });
    const caller = callerFor(team.manager);
    const preview = await caller.imports.preview({ uploadId: upload.id });
    await expectQueueUnavailable(caller.imports.create({ uploadId: upload.id, mapping: preview.mapping }));
    const [job] = await caller.imports.list();
    expect(job).toMatchObject({ status: "failed", processedRows: 0, createdCount: 0 });
    expect(job!.error).toMatch(/queue was unavailable/);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await db.lead.count({ where: { organizationId: team.org.id, addressLine1: { contains: "Outage Way" } } })).toBe(0);
    expect(await caller.imports.get({ id: job!.id })).toMatchObject({ status: "failed", processedRows: 0 });
  });

  it("refuses when the queue started but cannot take the job", async () => {
    await enqueue("reservation-reaper", {}); // the queue is up
    outage.send = true;
    await expectQueueUnavailable(startBulk());
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await traceTraces()).toEqual({ records: 0, spend: 0, tracedAt: null });
    const latest = await db.skipTraceJob.findFirstOrThrow({ where: { organizationId: team.org.id }, orderBy: { createdAt: "desc" } });
    expect(latest).toMatchObject({ status: "failed", processed: 0 });
  });

  it("an inbound STOP still queues its confirmation, with the message, while this process's pg-boss cannot start", async () => {
    await enqueue("reservation-reaper", {}); // pg-boss has created its tables in this database once
    await stopQueue({ timeoutMs: 1000 });
    outage.start = true;
    const sender = "+15125550177";
    await db.smsSenderIdentity.create({ data: { organizationId: team.org.id, kind: "phone_number", value: sender } });
    const result = await handleInboundWebhook(db, { MessageSid: `SM${"ab".repeat(16)}`, From: "+15125550178", To: sender, Body: "STOP", NumSegments: "1" });
    expect(result.duplicate).toBe(false);
    const messageId = (result as { messageId: string }).messageId;
    const jobs = await db.$queryRaw<{ count: number }[]>`
      SELECT count(*)::int AS count FROM pgboss.job WHERE name = 'sms-auto-reply' AND data->>'inboundMessageId' = ${messageId}`;
    expect(jobs[0]!.count).toBe(1);
  });

  it("queues normally again once the queue is back", async () => {
    const job = await startBulk();
    expect(job.status).toBe("pending");
    const queued = await db.$queryRaw<{ count: number }[]>`
      SELECT count(*)::int AS count FROM pgboss.job WHERE name = 'skip-trace-bulk' AND data->>'jobId' = ${job.id}`;
    expect(queued[0]!.count).toBe(1);
  });

  it("answers QUEUE_UNAVAILABLE within seconds when the queue's database cannot be reached at all", async () => {
    const child = spawnScript("enqueue-once.ts", [], { ...process.env, DATABASE_URL: "postgresql://nobody@127.0.0.1:1/none" });
    const outcome = JSON.parse(await child.firstLine) as { appCode: string | null; message: string; retryAfterSeconds: number | null; ms: number; queueJobId?: string };
    await child.exited;
    expect(outcome).toMatchObject({ appCode: "QUEUE_UNAVAILABLE" });
    expect(outcome.retryAfterSeconds).toBeGreaterThan(0);
    expect(outcome.ms).toBeLessThan(12_000);
  });
});
