import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { DEFAULT_SMS_REPLY_RULES, DEFAULT_SMS_REPLY_TEXTS, type SmsReplyRuleSet } from "@/lib/sms-replies";
import { db } from "@/server/db";
import { sendAutoReply } from "@/server/messaging/auto-reply";
import { handleInboundWebhook } from "@/server/messaging/webhooks";
import { createSandboxSmsSender } from "@/server/providers/sandbox/sms-sender";
import type { SmsSender } from "@/server/providers/sms-sender";
import { appRouter } from "@/server/root";
import { createTRPCContext } from "@/server/trpc";
import { callerFor, createTeam, sessionFor } from "@/test/factories";

let counter = 0;
const uniquePhone = () => `+1512${String(7_000_000 + ((++counter * 7919) % 1_000_000)).padStart(7, "0")}`;
const sid = () => `SM${randomBytes(16).toString("hex")}`;

async function errorOf(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

/** An admin's team with a sending number added through the page's procedure. */
async function texting(name?: string) {
  const team = await createTeam(name);
  const admin = callerFor(team.admin);
  const senderNumber = uniquePhone();
  await admin.smsSettings.addSender({ value: senderNumber });
  const inbound = async (from: string, body: string) => {
    const result = await handleInboundWebhook(db, { MessageSid: sid(), From: from, To: senderNumber, Body: body });
    if (result.duplicate) throw new Error("unexpected duplicate");
    return result;
  };
  const liveSuppression = (phone: string) => db.suppression.findFirst({ where: { organizationId: team.org.id, phone, liftedAt: null }, select: { reason: true } });
  return { team, admin, senderNumber, inbound, liveSuppression };
}

function countingSender() {
  const inner = createSandboxSmsSender();
  const calls: string[] = [];
  const sender: SmsSender = { name: inner.name, simulated: true, send: (request) => (calls.push(request.body), inner.send(request)) };
  return { sender, calls };
}

/** What the person is told: the schema's messages (path: message), or the AppError's message. */
function told(error: TRPCError): string {
  const issues = (error.cause as { issues?: { path: PropertyKey[]; message: string }[] } | undefined)?.issues;
  return issues ? issues.map((issue) => `${issue.path.map(String).join(".")}: ${issue.message}`).join("\n") : error.message;
}

const withRule = (rule: SmsReplyRuleSet["rules"][number], base: SmsReplyRuleSet = DEFAULT_SMS_REPLY_RULES): SmsReplyRuleSet => ({ version: 1, rules: [...base.rules, rule] });

describe("smsSettings: roles", () => {
  it("lets managers read (canEdit false) and try a message, and refuses them every change; refuses users everything (FORBIDDEN)", async () => {
    const team = await createTeam();
    const user = callerFor(team.user);
    expect((await errorOf(user.smsSettings.get())).code).toBe("FORBIDDEN");
    expect((await errorOf(user.smsSettings.tryRules({ body: "STOP" }))).code).toBe("FORBIDDEN");
    for (const member of [team.manager, team.user]) {
      const caller = callerFor(member);
      expect((await errorOf(caller.smsSettings.addSender({ value: uniquePhone() }))).code).toBe("FORBIDDEN");
      expect((await errorOf(caller.smsSettings.removeSender({ id: "missing" }))).code).toBe("FORBIDDEN");
      expect((await errorOf(caller.smsSettings.updateSender({ id: "missing", messagesPerSecond: 10 }))).code).toBe("FORBIDDEN");
      expect((await errorOf(caller.smsSettings.updateIdentity({ brandName: "Not Allowed", helpContact: null }))).code).toBe("FORBIDDEN");
      expect((await errorOf(caller.smsSettings.updateTexts({ texts: null }))).code).toBe("FORBIDDEN");
      expect((await errorOf(caller.smsSettings.updateRules({ ruleSet: null }))).code).toBe("FORBIDDEN");
    }
    expect(await db.smsSenderIdentity.count({ where: { organizationId: team.org.id } })).toBe(0);
    const stored = await db.organizationSettings.findUnique({ where: { organizationId: team.org.id }, select: { smsBrandName: true } });
    expect(stored?.smsBrandName ?? null).toBeNull();

    const settings = await callerFor(team.admin).smsSettings.get();
    expect(settings.canEdit).toBe(true);
    expect(settings.mode).toMatchObject({ live: false, label: "Simulated" });
    expect(settings.senders).toEqual([]);
    expect(settings.customisedRules).toBe(false);
    expect(settings.customisedTexts).toBe(false);
    expect(settings.rules).toEqual(DEFAULT_SMS_REPLY_RULES);
    expect(settings.identity).toMatchObject({ brandName: null, helpContact: null, brand: team.org.name, contact: "this number" });
    expect(settings.webhooks.inboundUrl).toMatch(/\/api\/webhooks\/twilio\/inbound$/);
  });

  it("shows a manager what the admin configured, read-only", async () => {
    const { team, admin, senderNumber } = await texting();
    await admin.smsSettings.updateIdentity({ brandName: "Rivera Homes LLC", helpContact: "help@rivera.example" });
    const saved = await admin.smsSettings.updateTexts({ texts: { ...DEFAULT_SMS_REPLY_TEXTS, help: "{brand}: call {contact}. Msg&data rates may apply. Reply STOP to opt out." } });
    expect(saved.canEdit).toBe(true);

    const manager = callerFor(team.manager);
    const seen = await manager.smsSettings.get();
    expect(seen.canEdit).toBe(false);
    expect(seen.senders.map((sender) => sender.value)).toEqual([senderNumber]);
    expect(seen.identity).toMatchObject({ brandName: "Rivera Homes LLC", helpContact: "help@rivera.example", brand: "Rivera Homes LLC", contact: "help@rivera.example" });
    expect(seen.texts.help).toBe("{brand}: call {contact}. Msg&data rates may apply. Reply STOP to opt out.");
    expect(seen.rules).toEqual(DEFAULT_SMS_REPLY_RULES);
    expect({ ...seen, canEdit: true }).toEqual(await admin.smsSettings.get());

    const tried = await manager.smsSettings.tryRules({ body: "HELP" });
    expect(tried.outcome).toBe("help");
    expect(tried.autoReply).toBe("Rivera Homes LLC: call help@rivera.example. Msg&data rates may apply. Reply STOP to opt out.");
  });
});

describe("smsSettings: senders", () => {
  it("normalises what an admin pastes, routes inbound texts to the organization, and audits add and remove", async () => {
    const { team, admin } = await texting();
    const number = await admin.smsSettings.addSender({ value: " (737) 555-0142 " });
    expect(number).toMatchObject({ kind: "phone_number", value: "+17375550142" });
    const service = await admin.smsSettings.addSender({ value: `MG${"AB12".repeat(8)}` });
    expect(service).toMatchObject({ kind: "messaging_service", value: `MG${"ab12".repeat(8)}` });

    // Twilio posts To = the number: the message lands in this organization.
    const routed = await handleInboundWebhook(db, { MessageSid: sid(), From: uniquePhone(), To: "+17375550142", Body: "Is this still available?" });
    expect(routed.organizationId).toBe(team.org.id);

    await admin.smsSettings.removeSender({ id: number.id });
    const after = await admin.smsSettings.get();
    expect(after.senders.map((s) => s.value)).not.toContain("+17375550142");
    expect((await errorOf(handleInboundWebhook(db, { MessageSid: sid(), From: uniquePhone(), To: "+17375550142", Body: "hello?" }))).code).toBe("NOT_FOUND");

    const audit = await db.auditLog.findMany({ where: { organizationId: team.org.id, action: { startsWith: "settings.sms_sender" } }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => [a.action, (a.details as { value: string }).value])).toEqual([
      ["settings.sms_sender_added", expect.stringMatching(/^\+1512/)],
      ["settings.sms_sender_added", "+17375550142"],
      ["settings.sms_sender_added", `MG${"ab12".repeat(8)}`],
      ["settings.sms_sender_removed", "+17375550142"],
    ]);
    expect(audit.every((a) => a.actorId === team.admin.id)).toBe(true);
  });

  it("refuses malformed values with a message that says what a valid one looks like", async () => {
    const { admin } = await texting();
    const badSid = await errorOf(admin.smsSettings.addSender({ value: "MG1234" }));
    expect(badSid.code).toBe("BAD_REQUEST");
    expect(told(badSid)).toContain("MG followed by 32 hexadecimal characters");
    const badPhone = await errorOf(admin.smsSettings.addSender({ value: "+1 555 555 5555" }));
    expect(badPhone.code).toBe("BAD_REQUEST");
    expect(told(badPhone)).toContain("is not a valid phone number");
  });

  it("a value another organization uses is a CONFLICT that does not say which organization; our own duplicate says so", async () => {
    const theirs = await texting("Secret Competitor Homes");
    const ours = await texting("Our Home Buyers");
    const taken = await errorOf(ours.admin.smsSettings.addSender({ value: theirs.senderNumber }));
    expect(taken.code).toBe("CONFLICT");
    expect(taken.message).toContain("already registered to another LeadFlow organization");
    expect(taken.message).not.toContain("Secret Competitor");
    expect(taken.message).not.toContain(theirs.team.org.id);
    // Formatted differently, still the same number.
    const national = theirs.senderNumber.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, "($1) $2-$3");
    expect((await errorOf(ours.admin.smsSettings.addSender({ value: national }))).code).toBe("CONFLICT");
    const own = await errorOf(ours.admin.smsSettings.addSender({ value: ours.senderNumber }));
    expect(own.code).toBe("CONFLICT");
    expect(own.message).toContain("already one of your senders");
    // Their number still routes to them.
    expect((await handleInboundWebhook(db, { MessageSid: sid(), From: uniquePhone(), To: theirs.senderNumber, Body: "hi" })).organizationId).toBe(theirs.team.org.id);
  });

  it("records each sender's throughput (messages per second): 1 by default, set when added, changed by admins only and audited", async () => {
    const { team, admin, senderNumber } = await texting();
    const tollFree = await admin.smsSettings.addSender({ value: "+18335550142", messagesPerSecond: 3 });
    expect(tollFree.messagesPerSecond).toBe(3);
    const first = (await admin.smsSettings.get()).senders.find((sender) => sender.value === senderNumber)!;
    expect(first.messagesPerSecond).toBe(1);

    const updated = await admin.smsSettings.updateSender({ id: first.id, messagesPerSecond: 75 });
    expect(updated).toMatchObject({ id: first.id, value: senderNumber, messagesPerSecond: 75 });
    expect((await db.smsSenderIdentity.findUniqueOrThrow({ where: { id: first.id } })).messagesPerSecond).toBe(75);
    // A manager reads the figure (the campaign editor caps its throttle with it) but cannot change it.
    const seen = await callerFor(team.manager).smsSettings.get();
    expect(Object.fromEntries(seen.senders.map((sender) => [sender.value, sender.messagesPerSecond]))).toEqual({ [senderNumber]: 75, "+18335550142": 3 });
    expect((await errorOf(callerFor(team.manager).smsSettings.updateSender({ id: first.id, messagesPerSecond: 100 }))).code).toBe("FORBIDDEN");

    // Saving the same figure again changes nothing and audits nothing.
    await admin.smsSettings.updateSender({ id: first.id, messagesPerSecond: 75 });
    const audit = await db.auditLog.findMany({ where: { organizationId: team.org.id, action: "settings.sms_sender_updated" } });
    expect(audit.map((entry) => [entry.targetId, entry.actorId, entry.details])).toEqual([
      [first.id, team.admin.id, { value: senderNumber, before: { messagesPerSecond: 1 }, after: { messagesPerSecond: 75 } }],
    ]);
    const added = await db.auditLog.findFirstOrThrow({ where: { organizationId: team.org.id, action: "settings.sms_sender_added", targetId: tollFree.id } });
    expect(added.details).toMatchObject({ messagesPerSecond: 3 });
  });

  it("refuses a throughput that is not a whole number from 1 to 1,000 (400 naming the rule) and keeps the stored one", async () => {
    const { admin, senderNumber } = await texting();
    const sender = (await admin.smsSettings.get()).senders[0]!;
    for (const [messagesPerSecond, message] of [
      [0, "At least 1 message per second"],
      [-5, "At least 1 message per second"],
      [2.5, "Messages per second is a whole number"],
      [1001, "At most 1,000 messages per second"],
    ] as const) {
      const refused = await errorOf(admin.smsSettings.updateSender({ id: sender.id, messagesPerSecond }));
      expect(refused.code).toBe("BAD_REQUEST");
      expect(told(refused)).toContain(`messagesPerSecond: ${message}`);
    }
    expect((await errorOf(admin.smsSettings.updateSender({ id: sender.id, messagesPerSecond: "10" as unknown as number }))).code).toBe("BAD_REQUEST");
    expect((await errorOf(admin.smsSettings.addSender({ value: uniquePhone(), messagesPerSecond: 0 }))).code).toBe("BAD_REQUEST");
    expect((await db.smsSenderIdentity.findFirstOrThrow({ where: { value: senderNumber } })).messagesPerSecond).toBe(1);
  });

  it("another organization's sender cannot have its throughput changed (NOT_FOUND)", async () => {
    const theirs = await texting();
    const ours = await texting();
    const [theirSender] = (await theirs.admin.smsSettings.get()).senders;
    expect((await errorOf(ours.admin.smsSettings.updateSender({ id: theirSender!.id, messagesPerSecond: 50 }))).code).toBe("NOT_FOUND");
    expect((await db.smsSenderIdentity.findUniqueOrThrow({ where: { id: theirSender!.id } })).messagesPerSecond).toBe(1);
  });

  it("another organization's sender cannot be removed (NOT_FOUND) and keeps routing", async () => {
    const theirs = await texting();
    const ours = await texting();
    const [theirSender] = (await theirs.admin.smsSettings.get()).senders;
    expect((await errorOf(ours.admin.smsSettings.removeSender({ id: theirSender!.id }))).code).toBe("NOT_FOUND");
    expect(await db.smsSenderIdentity.count({ where: { id: theirSender!.id } })).toBe(1);
  });
});

describe("smsSettings: reply rules", () => {
  it("a refusal phrase an admin adds suppresses the number when someone texts it (and the defaults did not)", async () => {
    const { admin, team, inbound, liveSuppression } = await texting();
    // "quit bugging me" is already a refusal under the defaults (refusal-stop-contact: "quit * bugging").
    expect((await admin.smsSettings.tryRules({ body: "quit bugging me" })).outcome).toBe("refusal");

    const before = uniquePhone();
    expect((await inbound(before, "Knock it off!")).classification.outcome).toBe("none");
    expect(await liveSuppression(before)).toBeNull();

    const ruleSet = withRule({
      id: "refusal-our-phrases",
      kind: "refusal",
      match: "contains",
      phrases: ["knock it off", "quit bugging me"],
      explanation: "Phrases our sellers use to tell us to stop.",
    });
    const saved = await admin.smsSettings.updateRules({ ruleSet });
    expect(saved.customisedRules).toBe(true);
    expect(saved.rules.rules.at(-1)!.id).toBe("refusal-our-phrases");

    const after = uniquePhone();
    const result = await inbound(after, "Knock it off!");
    expect(result.classification).toMatchObject({ outcome: "refusal", ruleId: "refusal-our-phrases", suppression: "number" });
    expect(await liveSuppression(after)).toEqual({ reason: "refusal" });

    const audit = await db.auditLog.findFirstOrThrow({ where: { organizationId: team.org.id, action: "settings.sms_rules_updated" } });
    expect(audit.details).toMatchObject({ reset: false, added: ["refusal-our-phrases"], removed: [], changed: [] });

    // Reset: back to the defaults, and the phrase no longer suppresses.
    const reset = await admin.smsSettings.updateRules({ ruleSet: null });
    expect(reset.customisedRules).toBe(false);
    expect(reset.rules).toEqual(DEFAULT_SMS_REPLY_RULES);
    expect((await inbound(uniquePhone(), "knock it off")).classification.outcome).toBe("none");
    expect(await db.auditLog.count({ where: { organizationId: team.org.id, action: "settings.sms_rules_reset" } })).toBe(1);
  });

  it("refuses a rule set without STOP, or with a regex-like phrase, as 400 naming the fault, and keeps the saved rules", async () => {
    const { admin, team } = await texting();
    const noStop: SmsReplyRuleSet = {
      version: 1,
      rules: DEFAULT_SMS_REPLY_RULES.rules.map((rule) => (rule.id === "keyword-stop" ? { ...rule, phrases: rule.phrases.filter((p) => p !== "stop") } : rule)),
    };
    const stopError = await errorOf(admin.smsSettings.updateRules({ ruleSet: noStop }));
    expect(stopError.code).toBe("BAD_REQUEST");
    expect(told(stopError)).toContain("must keep STOP as an opt-out keyword");

    const regexLike = withRule({ id: "refusal-regex", kind: "refusal", match: "contains", phrases: ["st.*p"], explanation: "A regular expression." });
    const regexError = await errorOf(admin.smsSettings.updateRules({ ruleSet: regexLike }));
    expect(regexError.code).toBe("BAD_REQUEST");
    expect(told(regexError)).toContain('"st.*p" is not a plain phrase');

    const keywordContains = withRule({ id: "help-contains", kind: "help", match: "contains", phrases: ["need help"], explanation: "Help in a sentence." });
    expect(told(await errorOf(admin.smsSettings.updateRules({ ruleSet: keywordContains })))).toContain('Rule "help-contains"');

    expect(await db.organizationSettings.findUniqueOrThrow({ where: { organizationId: team.org.id }, select: { smsReplyRules: true } })).toEqual({ smsReplyRules: null });
    expect(await db.auditLog.count({ where: { organizationId: team.org.id, action: { startsWith: "settings.sms_rules" } } })).toBe(0);

    // Over HTTP, as the page sees it: status 400, a readable message and the field path for the editor.
    const session = await sessionFor(team.admin);
    const response = await fetchRequestHandler({
      endpoint: "/api/trpc",
      req: new Request("http://app.test/api/trpc/smsSettings.updateRules", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ json: { ruleSet: regexLike } }),
      }),
      router: appRouter,
      createContext: () => createTRPCContext({ session, requestId: "rules-400" }),
    });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { json: { message: string; data: { zodIssues: { fieldErrors: Record<string, string[]> } } } } };
    const index = regexLike.rules.length - 1;
    expect(error.json.message).toContain(`ruleSet.rules.${index}.phrases.0: "st.*p" is not a plain phrase`);
    expect(error.json.data.zodIssues.fieldErrors[`ruleSet.rules.${index}.phrases.0`]?.[0]).toContain("regular expressions are not supported");
  });

  it("tryRules classifies against a draft without saving it, and shows the reply that would be sent", async () => {
    const { admin, team } = await texting("Rivera Home Buyers");
    const draft = withRule({ id: "refusal-draft", kind: "refusal", match: "contains", phrases: ["knock it off"], explanation: "Draft rule." });
    const auditBefore = await db.auditLog.count({ where: { organizationId: team.org.id } });

    const drafted = await admin.smsSettings.tryRules({ body: "ok knock it off now", ruleSet: draft });
    expect(drafted).toMatchObject({ outcome: "refusal", ruleId: "refusal-draft", matchedText: "knock it off", suppression: "number", usedDraft: true, autoReply: null });
    expect(drafted.reason).toContain("refusal-draft");
    expect((await admin.smsSettings.tryRules({ body: "ok knock it off now" })).outcome).toBe("none");

    const refusal = await admin.smsSettings.tryRules({ body: "please stop texting me" });
    expect(refusal).toMatchObject({ outcome: "refusal", autoReply: null });
    const help = await admin.smsSettings.tryRules({ body: "HELP" });
    expect(help.outcome).toBe("help");
    expect(help.autoReply).toMatch(/^Rivera Home Buyers: for help contact \+1512\d{7}\. Reply STOP to opt out\.$/);
    expect(help.autoReplySegments).toBe(1);
    expect((await admin.smsSettings.tryRules({ body: "STOP", optOutType: "STOP" })).autoReply).toBeNull();
    const negated = await admin.smsSettings.tryRules({ body: "don't stop texting me, I'm interested" });
    expect(negated.outcome).toBe("review");
    expect(negated.matches.some((m) => m.negatedBy !== null)).toBe(true);

    expect(await db.auditLog.count({ where: { organizationId: team.org.id } })).toBe(auditBefore);
    expect((await db.organizationSettings.findUniqueOrThrow({ where: { organizationId: team.org.id } })).smsReplyRules).toBeNull();
  });
});

describe("smsSettings: brand, help contact and reply texts", () => {
  it("after the help text and identity change, HELP is answered with the new text, brand and contact; reset restores the default", async () => {
    const { admin, team, inbound, senderNumber } = await texting("Rivera Home Buyers");
    const { sender, calls } = countingSender();

    // Before: the default text, the organization's name and the sending number (this also caches the config).
    await sendAutoReply(db, (await inbound(uniquePhone(), "HELP")).messageId, sender);
    expect(calls.at(-1)).toBe(`Rivera Home Buyers: for help contact ${senderNumber}. Reply STOP to opt out.`);

    await admin.smsSettings.updateIdentity({ brandName: "Rivera Homes LLC", helpContact: "help@rivera.example" });
    const saved = await admin.smsSettings.updateTexts({
      texts: { ...DEFAULT_SMS_REPLY_TEXTS, help: "{brand} here. Questions? Write to {contact}. Text STOP to opt out." },
    });
    expect(saved.customisedTexts).toBe(true);
    expect(saved.identity).toMatchObject({ brand: "Rivera Homes LLC", contact: "help@rivera.example" });

    await sendAutoReply(db, (await inbound(uniquePhone(), "help")).messageId, sender);
    expect(calls.at(-1)).toBe("Rivera Homes LLC here. Questions? Write to help@rivera.example. Text STOP to opt out.");

    // Clearing the identity and resetting the texts: back to the defaults and fallbacks.
    await admin.smsSettings.updateIdentity({ brandName: "", helpContact: null });
    const reset = await admin.smsSettings.updateTexts({ texts: null });
    expect(reset).toMatchObject({ customisedTexts: false, texts: DEFAULT_SMS_REPLY_TEXTS, identity: { brandName: null, helpContact: null } });
    await sendAutoReply(db, (await inbound(uniquePhone(), "INFO")).messageId, sender);
    expect(calls.at(-1)).toBe(`Rivera Home Buyers: for help contact ${senderNumber}. Reply STOP to opt out.`);

    const actions = (await db.auditLog.findMany({ where: { organizationId: team.org.id, action: { in: ["settings.sms_identity_updated", "settings.sms_texts_updated", "settings.sms_texts_reset"] } }, orderBy: { createdAt: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(["settings.sms_identity_updated", "settings.sms_texts_updated", "settings.sms_identity_updated", "settings.sms_texts_reset"]);
  });

  it("refuses texts that drop the sender identity or use unknown placeholders, and identity fields with line breaks", async () => {
    const { admin } = await texting();
    const noContact = await errorOf(admin.smsSettings.updateTexts({ texts: { ...DEFAULT_SMS_REPLY_TEXTS, help: "{brand}: reply STOP to opt out." } }));
    expect(noContact.code).toBe("BAD_REQUEST");
    expect(told(noContact)).toContain("include {brand} and {contact}");
    const unknown = await errorOf(admin.smsSettings.updateTexts({ texts: { ...DEFAULT_SMS_REPLY_TEXTS, optIn: "{brand}: welcome back {name}" } }));
    expect(told(unknown)).toContain("Unknown placeholder {name}");
    const multiLine = await errorOf(admin.smsSettings.updateIdentity({ brandName: "Rivera\nHomes", helpContact: null }));
    expect(multiLine.code).toBe("BAD_REQUEST");
    expect(told(multiLine)).toContain("single line");
    expect((await admin.smsSettings.get()).customisedTexts).toBe(false);
  });
});
