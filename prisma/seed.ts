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
    console.log("\n  Demo login (admin):  demo@leadflow.test / " + DEMO_PASSWORD);
    console.log("  Also: manager@leadflow.test and user@leadflow.test, same password.\n");
  } finally {
    await db.$disconnect();
  }
}

await main();
