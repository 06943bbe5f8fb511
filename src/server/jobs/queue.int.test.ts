import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "csv-stringify/sync";
import { db } from "@/server/db";
import { storeUpload } from "@/server/leads/import/upload";
import { callerFor, createTeam } from "@/test/factories";
import { waitFor } from "@/test/wait-for";
import { startWorkers } from "./handlers";
import { Prisma } from "@/generated/prisma/client";
import { querySql } from "@/server/db";
import { enqueue, jobInsertSql, stopQueue } from "./queue";

let team: Awaited<ReturnType<typeof createTeam>>;

beforeAll(async () => {
  team = await createTeam("Queue users");
  await startWorkers({ pollingIntervalSeconds: 0.5 });
});

afterAll(async () => {
  await stopQueue({ timeoutMs: 1000 });
});

/** An uploaded file, as POST /api/imports/upload stores it. */
async function uploaded(content: string) {
  return (await storeUpload({ db, orgId: team.org.id, userId: team.manager.id }, { fileName: "list.csv", body: [new TextEncoder().encode(content)] })).id;
}

const listOf = (n: number, street: string) =>
  stringify([["Address", "Zip", "Owner"], ...Array.from({ length: n }, (_, i) => [`${i + 1} ${street}`, "73301", `Owner ${i + 1}`])]);

describe("import jobs through pg-boss", () => {
  it("a created import is run by a worker", async () => {
    const caller = callerFor(team.manager);
    const job = await caller.imports.create({ uploadId: await uploaded(listOf(20, "Queue St")), mapping: { address: 0, zip: 1, ownerName: 2 } });
    expect(job.status).toBe("pending");
    const done = await waitFor(() => caller.imports.get({ id: job.id }), (j) => j.status === "completed", { intervalMs: 50 });
    expect(done).toMatchObject({ status: "completed", processedRows: 20, createdCount: 20 });
    expect(await db.lead.count({ where: { importJobId: job.id } })).toBe(20);
  });

  it("an import a stopping worker leaves half done is resumed by the next worker", async () => {
    const caller = callerFor(team.manager);
    const job = await caller.imports.create({ uploadId: await uploaded(listOf(3000, "Resume Rd")), mapping: { address: 0, zip: 1, ownerName: 2 } });
    await waitFor(() => caller.imports.get({ id: job.id }), (j) => j.processedRows >= 500, { intervalMs: 50 });
    await stopQueue({ timeoutMs: 15_000 }); // the run stops after its current batch
    const stopped = await caller.imports.get({ id: job.id });
    expect(stopped.status).toBe("running");
    expect(stopped.processedRows).toBeGreaterThanOrEqual(500);
    expect(stopped.processedRows).toBeLessThan(3000);

    await startWorkers({ pollingIntervalSeconds: 0.5 });
    const done = await waitFor(() => caller.imports.get({ id: job.id }), (j) => j.status === "completed", { timeoutMs: 28_000, intervalMs: 50 });
    expect(done).toMatchObject({ status: "completed", processedRows: 3000, createdCount: 3000, duplicateCount: 0 });
    expect(await db.lead.count({ where: { importJobId: job.id } })).toBe(3000);
    expect(await db.activityEvent.count({ where: { kind: "imported", lead: { importJobId: job.id } } })).toBe(3000);
  }, 60_000);
});

describe("a job queued by the caller's own statement (jobInsertSql)", () => {
  it("writes the row pg-boss's send writes, column for column", async () => {
    // Not the state: a worker in this process may have taken either job already (CI saw one active).
    const columns = Prisma.sql`name, data, priority, retry_limit, retry_count, retry_delay, retry_backoff, singleton_on, expire_in::text, dead_letter, policy,
      round(extract(epoch FROM keep_until - start_after) / 60) AS keep_minutes, start_after <= now() AS due`;
    const viaSend = await enqueue("sms-auto-reply", { inboundMessageId: "via-send" });
    const insert = await jobInsertSql("sms-auto-reply", {
      data: Prisma.sql`jsonb_build_object('inboundMessageId', source.id)`,
      from: Prisma.sql`(SELECT 'via-sql'::text AS id) source`,
      where: Prisma.sql`true`,
    });
    expect(insert).not.toBeNull();
    const [inserted] = await querySql<{ id: string }>(db, Prisma.sql`WITH job AS (${insert!}) SELECT id FROM job`);
    const rowOf = async (id: string) => (await querySql<Record<string, unknown>>(db, Prisma.sql`SELECT ${columns} FROM pgboss.job WHERE id = ${id}::uuid`))[0]!;
    const sent = await rowOf(viaSend!);
    const written = await rowOf(inserted!.id);
    expect(written).toEqual({ ...sent, data: { inboundMessageId: "via-sql" } });
    expect(sent).toMatchObject({ name: "sms-auto-reply", retry_limit: 0, expire_in: "00:05:00", due: true });
  });
});
