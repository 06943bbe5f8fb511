import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { callerFor, createTeam } from "@/test/factories";
import { defaultBudget, effectiveBudget } from "./settings";

/** Settings → Budgets, "Reset to defaults": applied and saved at once, not only put in the form. */
describe("budgets.resetToDefaults", () => {
  it("puts the cap and unit price back to the provider's defaults, saved, followed from now on, and audited", async () => {
    const team = await createTeam();
    const admin = callerFor(team.admin);
    const defaults = defaultBudget("attom");
    await admin.budgets.update({ provider: "attom", dailyCapCents: defaults.dailyCapCents + 1234, costPerCallCents: defaults.costPerCallCents + 3 });
    await admin.budgets.update({ provider: "batchdata", dailyCapCents: 777, costPerCallCents: 9 });

    const overview = await admin.budgets.resetToDefaults({ provider: "attom" });
    const attom = overview.providers.find((budget) => budget.provider === "attom")!;
    expect({ cap: attom.dailyCapCents, cost: attom.costPerCallCents }).toEqual({ cap: defaults.dailyCapCents, cost: defaults.costPerCallCents });
    // Saved: a fresh read agrees, and the setting no longer pins values (it follows the defaults).
    const reread = (await admin.budgets.overview()).providers.find((budget) => budget.provider === "attom")!;
    expect(reread.dailyCapCents).toBe(defaults.dailyCapCents);
    expect(await effectiveBudget(db, team.org.id, "attom")).toMatchObject({ customized: false, ...defaults });
    expect(await db.budgetSetting.findUnique({ where: { organizationId_provider: { organizationId: team.org.id, provider: "attom" } } })).toMatchObject({
      dailyCapCents: null,
      costPerCallCents: null,
      updatedById: team.admin.id,
    });
    // Only that provider.
    expect(await effectiveBudget(db, team.org.id, "batchdata")).toMatchObject({ dailyCapCents: 777, costPerCallCents: 9, customized: true });

    const audit = await db.auditLog.findFirstOrThrow({ where: { organizationId: team.org.id, action: "budget.reset_to_defaults" } });
    expect(audit).toMatchObject({
      actorId: team.admin.id,
      targetType: "provider",
      targetId: "attom",
      details: {
        before: { dailyCapCents: defaults.dailyCapCents + 1234, costPerCallCents: defaults.costPerCallCents + 3 },
        after: { dailyCapCents: defaults.dailyCapCents, costPerCallCents: defaults.costPerCallCents },
      },
    });
  });

  it("is for admins only and changes nothing for a manager", async () => {
    const team = await createTeam();
    await callerFor(team.admin).budgets.update({ provider: "attom", dailyCapCents: 4321, costPerCallCents: 11 });
    await expect(callerFor(team.manager).budgets.resetToDefaults({ provider: "attom" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await effectiveBudget(db, team.org.id, "attom")).toMatchObject({ dailyCapCents: 4321, costPerCallCents: 11 });
  });

  it("refuses an unknown provider as a bad request", async () => {
    const team = await createTeam();
    await expect(callerFor(team.admin).budgets.resetToDefaults({ provider: "nobody" as "attom" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
