import { db } from "@/server/db";

/**
 * For tests about something other than quiet hours and the frequency cap (suppression, budgets,
 * callbacks, threads) that send at whatever time the suite runs: this organization's own rules
 * allow every hour and 50 texts a day, so their sends do not turn into "deferred" at night. The
 * rules stay rows of this organization only (another org's decisions are untouched); the quiet
 * hours themselves are tested in compliance/decision-table.int.test.ts at fixed instants.
 */
export async function allowSendingAtAnyHour(orgId: string): Promise<void> {
  const allDay = [{ start: "00:00", end: "24:00" }];
  await db.complianceRule.updateMany({ where: { organizationId: orgId }, data: { weekdays: allDay, saturday: allDay, sunday: allDay, frequencyCap: null } });
  await db.organizationSettings.upsert({
    where: { organizationId: orgId },
    create: { organizationId: orgId, quietHoursStart: "00:00", quietHoursEnd: "24:00", smsFrequencyCap24h: 50 },
    update: { quietHoursStart: "00:00", quietHoursEnd: "24:00", smsFrequencyCap24h: 50 },
  });
}
