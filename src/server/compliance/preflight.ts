import "server-only";
import type { z } from "zod";
import type { ServiceContext } from "../context";
import { evaluateSends } from "./decide";
import type { PREFLIGHT_WARNINGS, preflightInput, preflightOutput } from "./decisions-schema";
import { registryFreshness, type RegistryFreshnessSummary } from "./dnc-registry";

type Ctx = Pick<ServiceContext, "db" | "orgId" | "userId">;

/**
 * A campaign pre-flight: what the one send decision would answer for every recipient at the
 * instant the texts would go, counted by outcome and reason with an example sentence, and the
 * warnings that make those answers less trustworthy (a DNC registry extract older than 31 days,
 * or none loaded). Decisions are not recorded (nothing is sent); the DNC checks are, as evidence
 * with purpose "preflight". The campaign editor (issue 11) calls this with its audience.
 */
export async function preflightSends(ctx: Ctx, input: z.output<typeof preflightInput>): Promise<z.output<typeof preflightOutput>> {
  const at = input.at ?? new Date();
  const [verdicts, freshness] = await Promise.all([
    evaluateSends(ctx.db, { orgId: ctx.orgId, kind: input.kind, at, recipients: input.recipients, actorUserId: ctx.userId, dncPurpose: "preflight" }),
    registryFreshness(ctx.db, ctx.orgId, at),
  ]);
  const reasons = new Map<string, z.output<typeof preflightOutput>["reasons"][number]>();
  const counts = { allowed: 0, blocked: 0, deferred: 0 };
  for (const verdict of verdicts) {
    counts[verdict.outcome]++;
    if (verdict.outcome === "allowed") continue;
    const key = `${verdict.outcome}:${verdict.reason}`;
    const seen = reasons.get(key);
    if (seen) seen.count++;
    else reasons.set(key, { outcome: verdict.outcome, reason: verdict.reason, count: 1, example: verdict.message });
  }
  const warnings = registryWarnings(freshness);
  return { decidedAt: at, total: verdicts.length, ...counts, reasons: [...reasons.values()].sort((a, b) => b.count - a.count), warnings };
}

/** What a stale or missing National DNC Registry extract means for a pre-flight's answers (this one's and a campaign's). */
export function registryWarnings(freshness: RegistryFreshnessSummary): { code: (typeof PREFLIGHT_WARNINGS)[number]; message: string }[] {
  if (freshness.status === "stale") {
    return [
      {
        code: "dnc_registry_stale",
        message: `The National DNC Registry extract for area code${freshness.staleAreaCodes.length > 1 ? "s" : ""} ${freshness.staleAreaCodes.join(", ")} is older than ${freshness.staleAfterDays} days (oldest ${freshness.oldestExtractDate}): numbers added to the registry since are not excluded. Upload a fresh extract in Compliance → Do not contact.`,
      },
    ];
  }
  if (freshness.status === "none") {
    return [
      {
        code: "dnc_registry_missing",
        message: "No National DNC Registry extract is loaded: registry-listed numbers are not excluded, only your own list and skip-trace flags. Upload your extracts in Compliance → Do not contact.",
      },
    ];
  }
  return [];
}
