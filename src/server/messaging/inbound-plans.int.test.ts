import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createDb, db, sqlPoolOf } from "@/server/db";
import { expectAFewRowsRead, organizationOnYoungStatistics, rowsReadBy, suppressOtherNumbers } from "@/test/rows-read";
import { handleInboundWebhook } from "./webhooks";

/**
 * An inbound STOP's statement (webhooks.ts recordInbound) finds the number's lead and its live
 * suppression by key, not by a pass over the organization. Joined to the statement's input,
 * Postgres scanned every phone and every suppression of the organization on each statement: in
 * the webhook benchmark 2.5 of a 9 ms statement for 6 STOPs, growing with the organization, and
 * an equality probe through the phone's trigram index took 10 ms more.
 */

// One connection, so the statistics read before and after are the STOP's own backend's.
const oneConnection = createDb({ max: 1 });
// Its queries go to its pool (querySql), which Prisma's disconnect would not end, never having connected.
afterAll(() => sqlPoolOf(oneConnection)!.end());

describe("an inbound STOP's statement", () => {
  it("reads a few rows in an organization of thousands of phones and suppressions, its tables never analyzed", async () => {
    const { org } = await organizationOnYoungStatistics("inbound", "739", { statistics: "never analyzed" });
    await suppressOtherNumbers(org.id, "inbound", "513");
    const sender = "+15125550739";
    await db.smsSenderIdentity.create({ data: { organizationId: org.id, kind: "phone_number", value: sender } });
    const stop = (lead: number) => ({ MessageSid: `SM${randomBytes(16).toString("hex")}`, From: `+1739${String(lead).padStart(7, "0")}`, To: sender, Body: "STOP", NumSegments: "1" });

    // A text received before, so the write measured below is the STOPs' own: the first one in a new
    // database also starts the job queue (pg-boss creates its schema), seconds on a loaded machine,
    // longer than the statistics can be counted across.
    await handleInboundWebhook(oneConnection, stop(41));
    // Six at once: the first has a statement to itself, the other five share the next (group commit).
    const leads = [42, 43, 44, 45, 46, 47];
    const reads = await rowsReadBy(oneConnection, () => Promise.all(leads.map((lead) => handleInboundWebhook(oneConnection, stop(lead)))));

    const numbers = leads.map((lead) => stop(lead).From);
    expect(await db.leadPhone.count({ where: { organizationId: org.id, number: { in: numbers }, status: "opted_out" } })).toBe(leads.length);
    expect(await db.conversation.findMany({ where: { organizationId: org.id, phone: { in: numbers } }, select: { leadId: true }, orderBy: { phone: "asc" } })).toEqual(
      leads.map((lead) => ({ leadId: `inbound-lead-${lead}` })),
    );
    expect(await db.suppression.count({ where: { organizationId: org.id, phone: { in: numbers }, liftedAt: null, reason: "keyword" } })).toBe(leads.length);
    expectAFewRowsRead(reads);
  });
});
