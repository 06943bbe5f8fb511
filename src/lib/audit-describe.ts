/**
 * The audit log in words: a sentence for an action ("invite.created" → "Invited a teammate") and
 * its details as labelled values instead of JSON. Unknown actions and keys still read well: the
 * action's words, the key split at its capitals.
 */
const ACTION_WORDS: Record<string, string> = {
  "organization.created": "Created the organization",
  "organization.updated": "Changed the organization's settings",
  "organization.seeded": "Demo organization seeded",
  "invite.created": "Invited a teammate",
  "invite.revoked": "Revoked an invite",
  "invite.accepted": "Accepted an invite and joined",
  "user.role_changed": "Changed a member's role",
  "user.deactivated": "Deactivated a member",
  "user.reactivated": "Reactivated a member",
  "user.password_reset": "Reset their password by email",
  "api_key.created": "Created an API key",
  "api_key.revoked": "Revoked an API key",
  "budget.updated": "Changed a daily budget",
  "budget.reset_to_defaults": "Put a budget back to its defaults",
  "kill_switch.changed": "Flipped a kill switch",
  "leads.exported": "Exported leads",
  "import.created": "Started a lead import",
  "import.cancelled": "Cancelled a lead import",
  "suppression.added": "Added a number to the opt-out list",
  "suppression.lifted": "Lifted an opt-out",
  "suppressions.imported": "Imported opt-outs",
  "suppressions.exported": "Exported the opt-out list",
  "dnc.added": "Added a number to the internal do-not-contact list",
  "dnc.removed": "Removed a number from the internal do-not-contact list",
  "dnc.imported": "Imported do-not-contact numbers",
  "dnc.registry_loaded": "Loaded Do Not Call registry data",
  "dnc.registry_removed": "Removed Do Not Call registry data",
  "consent.recorded": "Recorded consent",
  "consent.setting_changed": "Changed the consent requirement",
  "compliance.rules_updated": "Changed the texting rules",
  "settings.sms_sender_added": "Added an SMS sender",
  "settings.sms_sender_updated": "Changed an SMS sender",
  "settings.sms_sender_removed": "Removed an SMS sender",
  "settings.sms_identity_updated": "Changed the texting identity",
  "settings.sms_rules_updated": "Changed the keyword rules",
  "settings.sms_rules_reset": "Reset the keyword rules",
  "settings.reply_intent_updated": "Changed the reply-intent rules",
  "settings.skip_trace_updated": "Changed the skip-trace settings",
  "send_decisions.exported": "Exported send decisions",
  "campaign_recipients.exported": "Exported a campaign's recipients",
  "webhook_endpoint.created": "Added a webhook endpoint",
  "webhook_endpoint.updated": "Changed a webhook endpoint",
  "webhook_endpoint.deleted": "Deleted a webhook endpoint",
  "webhook_endpoint.secret_rotated": "Rotated a webhook endpoint's signing secret",
  "webhook_delivery.replayed": "Replayed a webhook delivery",
};

function sentenceCase(words: string): string {
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function describeAuditAction(action: string): string {
  const known = ACTION_WORDS[action];
  if (known) return known;
  const [subject = action, verb = ""] = action.split(".");
  return sentenceCase(`${subject.replace(/_/g, " ")} ${verb.replace(/_/g, " ")}`.trim());
}

/** "expiresAt" → "Expires at", "api_key" → "Api key". */
export function labelOfKey(key: string): string {
  return sentenceCase(key.replace(/_/g, " ").replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase());
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function formatValue(value: unknown, timeZone: string): string {
  if (value === null || value === undefined) return "none";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number") return value.toLocaleString("en-US");
  if (typeof value === "string") {
    if (ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value))) {
      return new Date(value).toLocaleString("en-US", { timeZone, dateStyle: "medium", timeStyle: "short" });
    }
    return value;
  }
  if (Array.isArray(value)) return value.length === 0 ? "none" : value.map((item) => formatValue(item, timeZone)).join(", ");
  return Object.entries(value as Record<string, unknown>)
    .map(([key, inner]) => `${labelOfKey(key)} ${formatValue(inner, timeZone)}`)
    .join("; ");
}

/** The details as label/value pairs, in the organization's time zone; [] when there are none. */
export function describeAuditDetails(details: unknown, timeZone: string): { label: string; value: string }[] {
  if (details === null || details === undefined) return [];
  if (typeof details !== "object" || Array.isArray(details)) return [{ label: "Details", value: formatValue(details, timeZone) }];
  return Object.entries(details as Record<string, unknown>).map(([key, value]) => ({ label: labelOfKey(key), value: formatValue(value, timeZone) }));
}
