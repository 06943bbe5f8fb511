import "server-only";
import { toE164 } from "@/lib/csv-import/rows";
import type { ServiceContext } from "../context";
import { AppError } from "../errors";
import { areaCodeIndex } from "./area-codes";
import { evaluateSends } from "./decide";
import type { PreviewDecisionInput } from "./decisions-schema";
import { resolveRecipientLocation, zip5 } from "@/lib/quiet-hours";
import { loadDecisionSettings } from "./rules";

/**
 * The rules page's decision preview: a recipient typed in (ZIP, state, phone) and an instant →
 * the answer the send decision would give now, with the rule that decided. Reads the
 * organization's rules, and the number's opt-outs and recent texts when a phone is given;
 * records nothing (it is not a send).
 */
export async function previewDecision(ctx: Pick<ServiceContext, "db" | "orgId">, input: PreviewDecisionInput) {
  let phone: string | null = null;
  if (input.phone) {
    phone = toE164(input.phone);
    if (!phone) {
      const message = "That is not a valid US or Canadian phone number. Include the area code, e.g. (305) 555-0142.";
      throw new AppError("BAD_REQUEST", message, { field: "phone" }, { cause: Object.assign(new Error(message), { issues: [{ path: ["phone"], message }] }) });
    }
  }
  if (!phone && !zip5(input.propertyZip) && !zip5(input.mailingZip) && !input.state) {
    throw new AppError("BAD_REQUEST", "Enter a ZIP, a state or a phone number for the recipient.");
  }
  const address = { propertyZip: input.propertyZip || null, mailingZip: input.mailingZip || null, state: input.state ? input.state.toUpperCase() : null };
  const [verdict] = await evaluateSends(ctx.db, { orgId: ctx.orgId, kind: input.kind, at: input.at, recipients: [{ phone: phone ?? "", address }], dncPurpose: "preview" });
  const settings = await loadDecisionSettings(ctx.db, ctx.orgId);
  const location = resolveRecipientLocation({ ...address, phone }, { orgTimeZone: settings.timeZone, areaCodes: areaCodeIndex() });
  // As the decision places them (decide.ts): a typed state replaces the area code's fallback.
  const states = address.state ? location.states.filter((s) => !s.source.startsWith("area code")) : [...location.states];
  if (address.state && !states.some((s) => s.state === address.state)) states.push({ state: address.state, source: "entered state" });
  const local = (zone: string) =>
    new Intl.DateTimeFormat("en-US", { timeZone: zone, weekday: "long", hour: "numeric", minute: "2-digit", timeZoneName: "short" }).format(input.at);
  return {
    outcome: verdict!.outcome,
    reason: verdict!.outcome === "allowed" ? null : verdict!.reason,
    message: verdict!.outcome === "allowed" ? null : verdict!.message,
    until: verdict!.outcome === "deferred" ? verdict!.until : null,
    rule: verdict!.outcome === "allowed" ? null : verdict!.rule,
    zones: location.zones.map((z) => ({ ...z, localTime: local(z.zone) })),
    states,
    phone,
  };
}
