import { db } from "@/server/db";
import { createSandboxSmsSender } from "@/server/providers/sandbox/sms-sender";
import type { SmsSender } from "@/server/providers/sms-sender";
import { allowSendingAtAnyHour } from "@/test/compliance-fixtures";
import { callerFor, createTeam } from "@/test/factories";

/** Test support for the campaign tests (imported by *.int.test.ts and the bench only). */

export const SMS_PRICE_CENTS = 2;
let counter = 0;
/** Outside the sandbox's 555-01xx family, so the simulated sender delivers. */
export const uniquePhone = () => `+1646${String(3_000_000 + ((++counter * 7919) % 1_000_000)).padStart(7, "0")}`;

/** A sender that records every send (recipient, body, instant) and can be told to refuse some. */
export function recordingSender(inner: SmsSender = createSandboxSmsSender()) {
  const sends: { to: string; body: string; at: number }[] = [];
  let before: ((to: string) => Promise<void> | void) | null = null;
  const sender: SmsSender = {
    name: inner.name,
    simulated: inner.simulated,
    async send(request) {
      await before?.(request.to);
      sends.push({ to: request.to, body: request.body, at: Date.now() });
      return inner.send(request);
    },
  };
  return { sender, sends, beforeSend: (hook: typeof before) => void (before = hook) };
}

/** An organization ready to text: a manager, a sender identity, an SMS budget, rules open at every hour. */
export async function campaignOrg(options: { capCents?: number; messagesPerSecond?: number; anyHour?: boolean } = {}) {
  const team = await createTeam();
  const orgId = team.org.id;
  if (options.anyHour !== false) await allowSendingAtAnyHour(orgId);
  const sender = await db.smsSenderIdentity.create({ data: { organizationId: orgId, kind: "phone_number", value: uniquePhone(), messagesPerSecond: options.messagesPerSecond ?? 100 } });
  await db.budgetSetting.create({ data: { organizationId: orgId, provider: "twilio_sms", costPerCallCents: SMS_PRICE_CENTS, dailyCapCents: options.capCents ?? 100_000 } });
  const manager = callerFor(team.manager);
  let leadCounter = 0;
  /** A lead with the given phones (each `{ number, … }` row fields), in Austin TX. */
  const lead = async (phones: { number?: string; type?: "mobile" | "landline" | "voip" | "unknown"; status?: "ok" | "wrong_number" | "invalid" | "opted_out"; dnc?: boolean; tcpa?: boolean; isBest?: boolean }[] = [{}], ownerName = "RIVERA, JORDAN") => {
    const { lead: created } = await manager.leads.create({ addressLine1: `${100 + ++leadCounter} Main St`, city: "Austin", state: "TX", zip: "78701", ownerName });
    const numbers: string[] = [];
    for (const phone of phones) {
      const number = phone.number ?? uniquePhone();
      numbers.push(number);
      await db.leadPhone.create({ data: { organizationId: orgId, leadId: created.id, number, type: phone.type ?? "mobile", status: phone.status ?? "ok", dnc: phone.dnc ?? false, tcpa: phone.tcpa ?? false, isBest: phone.isBest ?? false, source: "test" } });
    }
    return { leadId: created.id, numbers, number: numbers[0]! };
  };
  /** A draft campaign texting these leads. */
  const campaign = async (leadIds: string[], fields: { template?: string; ratePerSecond?: number; allPhones?: boolean; scheduledAt?: Date | null } = {}) =>
    manager.campaigns.create({
      name: `Campaign ${++leadCounter}`,
      template: fields.template ?? "Hi {{owner_first_name|there}}, would you sell {{property_address}}? - {{brand}}. Reply STOP to opt out.",
      senderIdentityId: sender.id,
      audience: { kind: "selection", leadIds },
      allPhones: fields.allPhones ?? false,
      scheduledAt: fields.scheduledAt ?? null,
      ratePerSecond: fields.ratePerSecond ?? 100,
    });
  /** A campaign launched: pre-flight, then launch. */
  const launched = async (leadIds: string[], fields: Parameters<typeof campaign>[1] = {}) => {
    const { id } = await campaign(leadIds, fields);
    await manager.campaigns.preflight({ id });
    await manager.campaigns.launch({ id });
    return id;
  };
  return { team, orgId, manager, senderIdentity: sender, lead, campaign, launched };
}

/** The most instants in any window of `windowMs` (each instant opens one); over 1 s, what a provider enforcing a rate per second would count. */
export function mostInAnyWindow(instants: readonly number[], windowMs = 1000): number {
  const sorted = [...instants].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[j]! <= sorted[i]! - windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}
