/**
 * Idempotent demo data: one organization with an admin, a manager and a user, and (made once, when
 * the organization is new) a history of searches, traces, campaigns, replies and deals made through
 * the app's services (prisma/demo-history.ts). Run by the dev script on every start; safe to run again.
 *
 * LEADFLOW_DEMO_HISTORY: "demo" (default) gives the demo organization its history; "separate" leaves
 * the demo organization empty and gives the history to a second one, Harbor Homes
 * (history@leadflow.test), as the end-to-end tests want; "none" makes no history.
 */
import { hashPassword } from "../src/server/auth/password";
import { db, type Db } from "../src/server/db";
import { seedDemoHistory } from "./demo-history";
import { stopQueue } from "../src/server/jobs/queue";

export const DEMO_PASSWORD = "leadflow-demo";
export const DEMO_USERS = [
  { email: "demo@leadflow.test", name: "Dana Admin", role: "admin" },
  { email: "manager@leadflow.test", name: "Morgan Manager", role: "manager" },
  { email: "user@leadflow.test", name: "Uma User", role: "user" },
] as const;
/**
 * The demo organization's sending number, so texting works out of the box (simulated without
 * Twilio keys). +1 500 555 0006 is Twilio's test "From" number: fictional, never a real person's.
 */
export const DEMO_SMS_SENDER = "+15005550006";
/** The history organization's sending number (LEADFLOW_DEMO_HISTORY=separate): fictional, 555-01xx. */
const HISTORY_SMS_SENDER = "+16025550187";
export const HISTORY_USER = { email: "history@leadflow.test", name: "Harper History" } as const;

type HistoryMode = "demo" | "separate" | "none";
const historyMode = (process.env.LEADFLOW_DEMO_HISTORY ?? "demo") as HistoryMode;

async function main() {
  if (!process.env.DATABASE_URL) throw new Error("DATABASE_URL is not set.");
  try {
    const existing = await db.user.findUnique({ where: { email: DEMO_USERS[0].email }, select: { id: true } });
    if (!existing) {
      const passwordHash = await hashPassword(DEMO_PASSWORD);
      await db.$transaction(async (tx) => {
        const org = await tx.organization.create({
          data: { name: "Demo Realty", timeZone: "America/New_York", settings: { create: {} } },
        });
        for (const demo of DEMO_USERS) {
          const user = await tx.user.create({ data: { email: demo.email, name: demo.name, passwordHash } });
          await tx.membership.create({ data: { organizationId: org.id, userId: user.id, role: demo.role } });
        }
        await tx.auditLog.create({ data: { organizationId: org.id, action: "organization.seeded" } });
      });
    }
    await ensureDemoSender(db);
    if (!existing && historyMode === "demo") await withHistory(db, DEMO_USERS[0].email, DEMO_USERS[1].email);
    if (historyMode === "separate") await ensureHistoryOrganization(db);
    console.log("\n  Demo login (admin):  demo@leadflow.test / " + DEMO_PASSWORD);
    console.log("  Also: manager@leadflow.test and user@leadflow.test, same password.\n");
  } finally {
    await stopQueue();
    await db.$disconnect();
  }
}

async function withHistory(db: Db, adminEmail: string, managerEmail?: string) {
  const started = performance.now();
  const admin = await db.membership.findFirstOrThrow({ where: { user: { email: adminEmail } }, select: { organizationId: true, userId: true } });
  const manager = managerEmail ? await db.user.findUnique({ where: { email: managerEmail }, select: { id: true } }) : null;
  const sender = await db.smsSenderIdentity.findFirst({ where: { organizationId: admin.organizationId }, select: { id: true } });
  if (!sender) return;
  // 50 texts a second (a Messaging Service pool's pace), so the finished campaign sends in seconds.
  await db.smsSenderIdentity.update({ where: { id: sender.id }, data: { messagesPerSecond: 50 } });
  const made = await seedDemoHistory(db, { orgId: admin.organizationId, adminUserId: admin.userId, managerUserId: manager?.id, senderIdentityId: sender.id });
  console.log(
    `  Demo history: ${made.leads} leads, ${made.traced} skip-traced, ${made.campaigns} campaigns, ${made.messages} texts, ${made.replies} replies, ` +
      `$${(made.wonCents / 100).toLocaleString("en-US")} won (${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
}

/** A second organization with the history, once; its admin signs in with the demo password. */
async function ensureHistoryOrganization(db: Db) {
  if (await db.user.findUnique({ where: { email: HISTORY_USER.email }, select: { id: true } })) return;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.$transaction(async (tx) => {
    const org = await tx.organization.create({ data: { name: "Harbor Homes", timeZone: "America/Phoenix", settings: { create: {} } } });
    const user = await tx.user.create({ data: { email: HISTORY_USER.email, name: HISTORY_USER.name, passwordHash } });
    await tx.membership.create({ data: { organizationId: org.id, userId: user.id, role: "admin" } });
    await tx.smsSenderIdentity.create({ data: { organizationId: org.id, kind: "phone_number", value: HISTORY_SMS_SENDER, messagesPerSecond: 50 } });
    await tx.auditLog.create({ data: { organizationId: org.id, action: "organization.seeded" } });
  });
  await withHistory(db, HISTORY_USER.email);
}

/**
 * Gives the demo organization its sending number once: not when the number belongs to another
 * organization, when the demo already has a sender, or after an admin removed a sender there.
 */
async function ensureDemoSender(db: Db) {
  const membership = await db.membership.findFirst({ where: { user: { email: DEMO_USERS[0].email } }, select: { organizationId: true } });
  if (!membership) return;
  const organizationId = membership.organizationId;
  const [taken, senders, removed] = await Promise.all([
    db.smsSenderIdentity.findUnique({ where: { value: DEMO_SMS_SENDER }, select: { id: true } }),
    db.smsSenderIdentity.count({ where: { organizationId } }),
    db.auditLog.count({ where: { organizationId, action: "settings.sms_sender_removed" } }),
  ]);
  if (taken || senders > 0 || removed > 0) return;
  await db.smsSenderIdentity.createMany({ data: [{ organizationId, kind: "phone_number", value: DEMO_SMS_SENDER }], skipDuplicates: true });
}

await main();
