/**
 * A worker that dies mid-send: runs one scheduled inbox reply with a sender that prints
 * {"sending":"<message id>"} when it is handed the message (after the message row is written) and
 * then never answers, until the test kills the process. Spawned by the inbox crash test with
 * `tsx --conditions=react-server` and the test's DATABASE_URL.
 */
import { db } from "@/server/db";
import { runScheduledReply } from "@/server/inbox/service";
import type { SmsSender } from "@/server/providers/sms-sender";

const [scheduledReplyId] = process.argv.slice(2);
const hangingSender: SmsSender = {
  name: "sandbox",
  simulated: true,
  send: (request) => {
    process.stdout.write(`${JSON.stringify({ sending: request.clientReference })}\n`);
    return new Promise(() => {});
  },
};
await runScheduledReply(db, scheduledReplyId!, hangingSender);
