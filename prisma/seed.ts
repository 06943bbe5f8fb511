/**
 * Idempotent demo data: one organization with an admin, a manager and a user.
 * Run by the dev script on every start; safe to run again.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../src/generated/prisma/client";
import { hashPassword } from "../src/server/auth/password";

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

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set.");
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 2 }) });
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
    console.log("\n  Demo login (admin):  demo@leadflow.test / " + DEMO_PASSWORD);
    console.log("  Also: manager@leadflow.test and user@leadflow.test, same password.\n");
  } finally {
    await db.$disconnect();
  }
}

/**
 * Gives the demo organization its sending number once: not when the number belongs to another
 * organization, when the demo already has a sender, or after an admin removed a sender there.
 */
async function ensureDemoSender(db: PrismaClient) {
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
