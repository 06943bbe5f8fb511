/**
 * A dispatcher worker process for one campaign: runs the campaign dispatcher against a Twilio
 * (its fake) at `twilioOrigin` until the campaign has nothing left, then prints {"done":…} and
 * exits, with the instants it handed each send to the sender. Prints {"ready":true} first. Spawned by the crash and two-worker tests and the bench.
 * Args: campaignId twilioOrigin accountSid authToken [concurrency]
 */
import { setTimeout as sleep } from "node:timers/promises";
import { runCampaignDispatch } from "@/server/campaigns/dispatcher";
import { db } from "@/server/db";
import { createTwilioSmsSender } from "@/server/providers/twilio/messaging";

const [campaignId, baseUrl, accountSid, authToken, concurrency] = process.argv.slice(2);
const twilio = createTwilioSmsSender({ accountSid: accountSid!, authToken: authToken!, baseUrl: baseUrl! });
// The instant each send is handed to the sender (after the rate check), printed at the end.
const handedOver: number[] = [];
const sender: typeof twilio = {
  ...twilio,
  send(request) {
    handedOver.push(Date.now());
    return twilio.send(request);
  },
};
const signal = new AbortController().signal;
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
let sent = 0;
for (;;) {
  const result = await runCampaignDispatch(db, campaignId!, { signal, sender, concurrency: concurrency ? Number(concurrency) : undefined });
  sent += result.sent;
  if (!result.nextRunAt) break;
  await sleep(Math.max(0, result.nextRunAt.getTime() - Date.now()));
}
process.stdout.write(`${JSON.stringify({ done: true, sent, handedOver })}\n`);
await db.$disconnect();
process.exit(0);
