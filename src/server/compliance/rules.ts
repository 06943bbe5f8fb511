import "server-only";
import {
  DEFAULT_FREQUENCY_CAP,
  DEFAULT_ORG_WINDOW,
  parseQuietHoursRuleSet,
  type DayWindows,
  type QuietHoursRule,
  type QuietHoursRuleSet,
  type TimeWindow,
} from "@/lib/quiet-hours";
import { recordAudit } from "../audit/record";
import type { ServiceContext } from "../context";
import { Prisma } from "@/generated/prisma/client";
import { querySql, type Db } from "../db";
import { AppError } from "../errors";
import type { ConsentSettings } from "./consent";
import type { ComplianceRulesOutput, UpdateComplianceRulesInput } from "./decisions-schema";

/**
 * The organization's quiet-hour and frequency rules as data (issue 10 items 1/5/6): the org
 * window and cap live in OrganizationSettings (defaults 08:00–21:00 and 3 per rolling 24 h), the
 * federal and state rows in ComplianceRule — one copy per organization, seeded from COMPLIANCE.md
 * when the organization is created (a database trigger; see the migration), so an edit by one
 * organization never reaches another's decisions. Admins edit; managers read.
 */

export const FEDERAL_SCOPE = "federal";

export type DecisionSettings = {
  timeZone: string;
  orgWindow: TimeWindow;
  frequencyCap: number;
  rules: QuietHoursRuleSet;
  /** The consent log's two settings (compliance/consent.ts), read with the rest. */
  consent: ConsentSettings;
};

type Reader = Db | Prisma.TransactionClient;

const ruleSelect = {
  scope: true,
  name: true,
  weekdays: true,
  saturday: true,
  sunday: true,
  frequencyCap: true,
  source: true,
  note: true,
  updatedAt: true,
  updatedById: true,
} as const satisfies Prisma.ComplianceRuleSelect;
type RuleRow = Prisma.ComplianceRuleGetPayload<{ select: typeof ruleSelect }>;

function toRule(row: Omit<RuleRow, "updatedAt" | "updatedById">): QuietHoursRule {
  return {
    state: row.scope === FEDERAL_SCOPE ? null : row.scope,
    name: row.name,
    weekdays: row.weekdays as unknown as DayWindows,
    saturday: row.saturday as unknown as DayWindows,
    sunday: row.sunday as unknown as DayWindows,
    frequencyCap: row.frequencyCap,
    source: row.source,
    ...(row.note ? { note: row.note } : {}),
  };
}

type DecisionSettingsRow = {
  timeZone: string;
  quietHoursStart: string | null;
  quietHoursEnd: string | null;
  smsFrequencyCap24h: number | null;
  requireRecordedConsent: boolean | null;
  allowDncWithExpressConsent: boolean | null;
  rules: Omit<RuleRow, "updatedAt" | "updatedById">[] | null;
};

/**
 * What a decision reads about the organization, in one statement (every send asks it: a prepared
 * statement on the pool). Stored rows are validated (a bad row names itself).
 */
export async function loadDecisionSettings(db: Reader, orgId: string): Promise<DecisionSettings> {
  const [org] = await querySql<DecisionSettingsRow>(
    db,
    Prisma.sql`SELECT o."timeZone", s."quietHoursStart", s."quietHoursEnd", s."smsFrequencyCap24h", s."requireRecordedConsent", s."allowDncWithExpressConsent",
        (SELECT json_agg(json_build_object('scope', r.scope, 'name', r.name, 'weekdays', r.weekdays, 'saturday', r.saturday, 'sunday', r.sunday,
                  'frequencyCap', r."frequencyCap", 'source', r.source, 'note', r.note) ORDER BY r.position, r.scope)
           FROM "ComplianceRule" r WHERE r."organizationId" = o.id) AS rules
      FROM "Organization" o LEFT JOIN "OrganizationSettings" s ON s."organizationId" = o.id
      WHERE o.id = ${orgId}`,
  );
  if (!org) throw new AppError("NOT_FOUND", "Organization was not found.");
  return {
    timeZone: org.timeZone,
    orgWindow: org.quietHoursStart !== null && org.quietHoursEnd !== null ? { start: org.quietHoursStart, end: org.quietHoursEnd } : DEFAULT_ORG_WINDOW,
    frequencyCap: org.smsFrequencyCap24h ?? DEFAULT_FREQUENCY_CAP,
    rules: parseQuietHoursRuleSet((org.rules ?? []).map(toRule)),
    consent: {
      requireRecordedConsent: org.requireRecordedConsent ?? false,
      allowDncWithExpressConsent: org.allowDncWithExpressConsent ?? false,
    },
  };
}

export async function getComplianceRules(ctx: Pick<ServiceContext, "db" | "orgId" | "role">): Promise<ComplianceRulesOutput> {
  const [org, rows] = await Promise.all([
    ctx.db.organization.findUniqueOrThrow({
      where: { id: ctx.orgId },
      select: { timeZone: true, settings: { select: { quietHoursStart: true, quietHoursEnd: true, smsFrequencyCap24h: true } } },
    }),
    ctx.db.complianceRule.findMany({ where: { organizationId: ctx.orgId }, orderBy: [{ position: "asc" }, { scope: "asc" }], select: ruleSelect }),
  ]);
  return {
    timeZone: org.timeZone,
    orgWindow: org.settings ? { start: org.settings.quietHoursStart, end: org.settings.quietHoursEnd } : DEFAULT_ORG_WINDOW,
    frequencyCap: org.settings?.smsFrequencyCap24h ?? DEFAULT_FREQUENCY_CAP,
    rules: rows.map((row) => ({ ...toRule(row), weekdays: [...toRule(row).weekdays], saturday: [...toRule(row).saturday], sunday: [...toRule(row).sunday], note: row.note ?? null, updatedAt: row.updatedAt })),
    canEdit: ctx.role === "admin",
  };
}

/**
 * Replaces the organization's rules (window, cap and the whole table, validated by the library's
 * schema: one row per state, windows in order, every row with a source) in one transaction, and
 * audits what changed. The federal row stays: it is the law everywhere.
 */
export async function updateComplianceRules(ctx: Pick<ServiceContext, "db" | "orgId" | "userId" | "requestId" | "role">, input: UpdateComplianceRulesInput): Promise<ComplianceRulesOutput> {
  if (!input.rules.some((rule) => rule.state === null)) {
    throw new AppError("BAD_REQUEST", "Keep the federal row (state left empty): it applies to every recipient (47 CFR 64.1200(c)(1)).");
  }
  await ctx.db.$transaction(async (tx) => {
    const before = await tx.complianceRule.findMany({ where: { organizationId: ctx.orgId }, select: ruleSelect });
    await tx.organizationSettings.upsert({
      where: { organizationId: ctx.orgId },
      create: { organizationId: ctx.orgId, quietHoursStart: input.orgWindow.start, quietHoursEnd: input.orgWindow.end, smsFrequencyCap24h: input.frequencyCap },
      update: { quietHoursStart: input.orgWindow.start, quietHoursEnd: input.orgWindow.end, smsFrequencyCap24h: input.frequencyCap },
    });
    const scopes = input.rules.map((rule) => rule.state ?? FEDERAL_SCOPE);
    await tx.complianceRule.deleteMany({ where: { organizationId: ctx.orgId, scope: { notIn: scopes } } });
    // Compared field by field (JSONB gives window keys back in its own order).
    const fingerprint = (rule: QuietHoursRule) =>
      JSON.stringify([rule.name, ...(["weekdays", "saturday", "sunday"] as const).map((day) => rule[day].map((w) => `${w.start}-${w.end}`)), rule.frequencyCap, rule.source, rule.note || null]);
    const beforeByScope = new Map(before.map((row) => [row.scope, fingerprint(toRule(row))]));
    const changed: string[] = [];
    for (const [position, rule] of input.rules.entries()) {
      const scope = rule.state ?? FEDERAL_SCOPE;
      const data = {
        name: rule.name,
        weekdays: rule.weekdays as unknown as Prisma.InputJsonValue,
        saturday: rule.saturday as unknown as Prisma.InputJsonValue,
        sunday: rule.sunday as unknown as Prisma.InputJsonValue,
        frequencyCap: rule.frequencyCap,
        source: rule.source,
        note: rule.note || null,
        position,
      };
      const same = beforeByScope.get(scope) === fingerprint(rule);
      if (same) {
        await tx.complianceRule.update({ where: { organizationId_scope: { organizationId: ctx.orgId, scope } }, data: { position } });
        continue;
      }
      changed.push(scope);
      await tx.complianceRule.upsert({
        where: { organizationId_scope: { organizationId: ctx.orgId, scope } },
        create: { organizationId: ctx.orgId, scope, ...data, updatedById: ctx.userId },
        update: { ...data, updatedById: ctx.userId },
      });
    }
    const removed = before.map((row) => row.scope).filter((scope) => !scopes.includes(scope));
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actorId: ctx.userId,
      action: "compliance.rules_updated",
      details: { orgWindow: input.orgWindow, frequencyCap: input.frequencyCap, changed, removed },
      requestId: ctx.requestId,
    });
  });
  return getComplianceRules(ctx);
}
