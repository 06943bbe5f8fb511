/**
 * `npm run bench -- campaigns` (issue 11): the pre-flight of a 10k-recipient campaign (median,
 * p95), and the dispatcher against a 0-latency Twilio HTTP fake at 10, 50 and 100 messages/s with
 * one and with two worker processes (src/test/child/dispatch-campaign.ts, the dispatcher as the
 * worker runs it): the rate achieved over the arrivals at the fake, and the most arrivals in any
 * 1 s window (never above the configured rate).
 */
import type { Db } from "../src/server/db";
import type { spawnScript as SpawnScript } from "../src/test/child/spawn";

type Team = { org: { id: string }; user: { id: string } };
type Tools = {
  db: Db;
  team: (name: string) => Promise<Team>;
  summarize: (samples: number[]) => string;
  time: <T>(fn: () => Promise<T>) => Promise<[number, T]>;
};

async function seedLeads(db: Db, orgId: string, count: number, prefix: string): Promise<string[]> {
  await db.$executeRaw`
    INSERT INTO "Lead" (id, "organizationId", source, "addressLine1", city, state, zip, "ownerName", "normalizedAddress", "normalizedOwner", "dedupKey", "hasPhone", "updatedAt")
    SELECT ${prefix} || i, ${orgId}, 'csv', i || ' Campaign Bench St', 'Austin', 'TX', '78701', 'RIVERA, JORDAN', ${prefix} || 'a' || i, 'rivera jordan', ${prefix} || 'k' || i, true, now()
    FROM generate_series(1, ${count}) AS i`;
  // Austin numbers (one zone, the organization's window rules it), outside the sandbox's 555-01xx family.
  await db.$executeRaw`
    INSERT INTO "LeadPhone" (id, "organizationId", "leadId", number, type, source, "isBest", "updatedAt")
    SELECT ${prefix} || 'p' || i, ${orgId}, ${prefix} || i, '+1512' || (7000000 + i)::text, 'mobile', 'bench', true, now()
    FROM generate_series(1, ${count}) AS i`;
  return Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);
}

export async function benchCampaigns({ db, team, summarize, time }: Tools): Promise<void> {
  const { allowSendingAtAnyHour } = await import("../src/test/compliance-fixtures");
  const { mostInAnyWindow } = await import("../src/test/campaign-fixtures");
  const { runCampaignPreflight } = await import("../src/server/campaigns/preflight");
  const { launchCampaign } = await import("../src/server/campaigns/service");
  const { startFakeTwilioMessaging } = await import("../src/test/fakes/twilio-messaging-server");
  const { spawnScript } = (await import("../src/test/child/spawn")) as { spawnScript: typeof SpawnScript };

  const ready = async (name: string) => {
    const bench = await team(name);
    await allowSendingAtAnyHour(bench.org.id);
    await db.organizationSettings.upsert({ where: { organizationId: bench.org.id }, create: { organizationId: bench.org.id, smsFrequencyCap24h: 1000 }, update: { smsFrequencyCap24h: 1000 } });
    await db.budgetSetting.create({ data: { organizationId: bench.org.id, provider: "twilio_sms", costPerCallCents: 1, dailyCapCents: 100_000_000 } });
    const sender = await db.smsSenderIdentity.create({ data: { organizationId: bench.org.id, kind: "phone_number", value: `+1512${String(9_000_000 + Math.floor(Math.random() * 999_999))}`, messagesPerSecond: 200 } });
    return { ...bench, senderId: sender.id };
  };
  const ctx = (bench: Team) => ({ db, orgId: bench.org.id, userId: bench.user.id });

  // --- pre-flight ---------------------------------------------------------------------------
  {
    const bench = await ready("Bench Preflight");
    const N = Number(process.env.BENCH_PREFLIGHT_RECIPIENTS ?? 10_000);
    await seedLeads(db, bench.org.id, N, "pf");
    // Every 25th number opted out, every 50th flagged DNC: exclusions to group and store.
    await db.$executeRaw`UPDATE "LeadPhone" SET dnc = true WHERE "organizationId" = ${bench.org.id} AND right(number, 2) = '50'`;
    await db.$executeRaw`INSERT INTO "Suppression" (id, "organizationId", phone, reason, evidence, "liveKey") SELECT 'pfs' || number, ${bench.org.id}, number, 'manual', 'bench', number || '|' FROM "LeadPhone" WHERE "organizationId" = ${bench.org.id} AND right(number, 2) IN ('25', '75')`;
    const filter = await db.savedLeadFilter.create({ data: { organizationId: bench.org.id, name: "All", filters: {} } });
    const campaign = await db.campaign.create({
      data: { organizationId: bench.org.id, name: "Bench", template: "Hi {{owner_first_name|there}}, would you sell {{property_address}}? - {{brand}}. Reply STOP to opt out.", senderIdentityId: bench.senderId, audience: { kind: "filter", savedFilterId: filter.id } },
    });
    await db.$executeRaw`ANALYZE`;
    for (let i = 0; i < 2; i++) await runCampaignPreflight(ctx(bench), campaign.id); // warm-up
    const samples: number[] = [];
    let last;
    for (let i = 0; i < Number(process.env.BENCH_PREFLIGHT_RUNS ?? 10); i++) {
      const [ms, report] = await time(() => runCampaignPreflight(ctx(bench), campaign.id));
      samples.push(ms);
      last = report;
    }
    console.log(`campaign pre-flight, ${N.toLocaleString("en-US")} leads (audience query, batch decision, segments, ${N.toLocaleString("en-US")} recipient rows written): ${summarize(samples)}`);
    console.log(`  eligible ${last!.eligible}, excluded ${last!.excluded} (${last!.exclusions.map((e) => `${e.reason} ${e.count}`).join(", ")}), ${last!.segments.total} segments, est. ${last!.estimatedCostCents}¢`);
  }

  // --- dispatch -----------------------------------------------------------------------------
  const twilio = await startFakeTwilioMessaging();
  try {
    const seconds = Number(process.env.BENCH_DISPATCH_SECONDS ?? 6);
    const list = (name: string, fallback: number[]) => (process.env[name] ? process.env[name]!.split(",").map(Number) : fallback);
    for (const rate of list("BENCH_DISPATCH_RATES", [10, 50, 100])) {
      for (const workers of list("BENCH_DISPATCH_WORKERS", [1, 2])) {
        const bench = await ready(`Bench Dispatch ${rate}x${workers}`);
        const count = rate * seconds;
        const leadIds = await seedLeads(db, bench.org.id, count, `d${rate}w${workers}-`);
        const campaign = await db.campaign.create({
          data: { organizationId: bench.org.id, name: "Bench", template: "Hi {{owner_first_name|there}}, would you sell {{property_address}}? - {{brand}}. Reply STOP to opt out.", senderIdentityId: bench.senderId, audience: { kind: "selection", leadIds }, ratePerSecond: rate },
        });
        await runCampaignPreflight(ctx(bench), campaign.id);
        twilio.accepted.length = 0;
        await launchCampaign(ctx(bench), campaign.id);
        // The rate is measured over the arrivals, so a worker still loading the app does not count against it.
        const children = Array.from({ length: workers }, () => spawnScript("dispatch-campaign.ts", [campaign.id, twilio.origin, twilio.accountSid, twilio.authToken], { ...process.env, LOG_LEVEL: "silent" }));
        await Promise.all(children.map((child) => child.exited));
        const handedOver = children.flatMap((child) => (JSON.parse(child.output().split("\n").find((line) => line.includes('"done"')) ?? '{"handedOver":[]}') as { handedOver: number[] }).handedOver);
        const arrivals = twilio.accepted.map((message) => message.createdAt).sort((a, b) => a - b);
        const spanS = (arrivals.at(-1)! - arrivals[0]!) / 1000;
        const achieved = (arrivals.length - 1) / spanS;
        const unique = new Set(twilio.accepted.map((message) => message.to)).size;
        console.log(
          `dispatch at ${rate}/s, ${workers} worker process${workers > 1 ? "es" : ""}: ${arrivals.length}/${count} sent (${unique} distinct), ` +
            `achieved ${achieved.toFixed(1)}/s = ${((achieved / rate) * 100).toFixed(1)} % of configured, most in any 1 s window ${mostInAnyWindow(handedOver)} handed to the sender, ${mostInAnyWindow(arrivals)} arriving at Twilio (limit ${rate})`,
        );
      }
    }
  } finally {
    await twilio.close();
  }
}
