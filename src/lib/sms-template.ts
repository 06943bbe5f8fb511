/**
 * Campaign message templates: merge fields in double braces, with a fallback for an empty value
 * after a bar — `Hi {{owner_first_name|there}}, is {{property_address}} for sale?`. Pure, so the
 * editor renders the same preview the dispatcher sends.
 *
 * The first message of a campaign must say who is texting and how to stop (CTIA Messaging
 * Principles, COMPLIANCE.md): `firstMessageProblems` checks both, `withComplianceFooter` is the
 * one-click fix.
 */

export const MERGE_FIELDS = [
  { name: "owner_first_name", label: "Owner first name", example: "Maria" },
  { name: "owner_last_name", label: "Owner last name", example: "Lopez" },
  { name: "owner_name", label: "Owner full name", example: "Maria Lopez" },
  { name: "property_address", label: "Property street address", example: "12 Oak St" },
  { name: "city", label: "Property city", example: "Tampa" },
  { name: "state", label: "Property state", example: "FL" },
  { name: "zip", label: "Property ZIP", example: "33602" },
  { name: "brand", label: "Your business name", example: "Acme Homes" },
] as const;

export type MergeFieldName = (typeof MERGE_FIELDS)[number]["name"];
export type MergeValues = Partial<Record<MergeFieldName, string | null>>;

const FIELD_NAMES: ReadonlySet<string> = new Set(MERGE_FIELDS.map((field) => field.name));
const PLACEHOLDER = /\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:\|([^{}]*))?\}\}/g;

export type TemplatePart = { field: string; fallback: string | null; raw: string };

/** Every placeholder of a template, in order. */
export function templatePlaceholders(template: string): TemplatePart[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => ({ field: match[1]!, fallback: match[2]?.trim() ?? null, raw: match[0] }));
}

/** Placeholders naming no known field (a typo would otherwise be texted as is). */
export function unknownMergeFields(template: string): string[] {
  return [...new Set(templatePlaceholders(template).map((part) => part.field).filter((field) => !FIELD_NAMES.has(field)))];
}

/** Placeholders with no fallback whose value is empty for these values (the preview flags them). */
export function emptyMergeFields(template: string, values: MergeValues): string[] {
  return templatePlaceholders(template)
    .filter((part) => FIELD_NAMES.has(part.field) && part.fallback === null && !values[part.field as MergeFieldName]?.trim())
    .map((part) => part.field);
}

/** The text one recipient gets: each placeholder replaced by its value, else its fallback, else nothing; spaces tidied. */
export function renderTemplate(template: string, values: MergeValues): string {
  return template
    .replace(PLACEHOLDER, (_raw, field: string, fallback: string | undefined) => {
      const value = FIELD_NAMES.has(field) ? values[field as MergeFieldName]?.trim() : undefined;
      return value || fallback?.trim() || "";
    })
    .replace(/[ \t]{2,}/g, " ")
    .replace(/ +([,.!?])/g, "$1")
    .trim();
}

/** "MARIA LOPEZ" / "Lopez, Maria" → first and last name as a person would write them. */
export function ownerNameParts(ownerName: string | null | undefined): { first: string | null; last: string | null; full: string | null } {
  const cleaned = ownerName?.trim().replace(/\s+/g, " ");
  if (!cleaned) return { first: null, last: null, full: null };
  // Entity owners (an LLC, a trust) have no first name to greet.
  if (/\b(llc|inc|corp|co|trust|ltd|lp|llp|bank|estate|properties|holdings|association)\b\.?/i.test(cleaned)) return { first: null, last: null, full: titleCase(cleaned) };
  const [last, first] = cleaned.includes(",") ? cleaned.split(",", 2).map((part) => part.trim()) : [cleaned.split(" ").slice(-1)[0], cleaned.split(" ")[0]];
  const firstName = first?.split(" ")[0] ?? null;
  return { first: firstName ? titleCase(firstName) : null, last: last ? titleCase(last) : null, full: titleCase(cleaned.includes(",") ? `${first} ${last}` : cleaned) };
}

function titleCase(text: string): string {
  if (text !== text.toUpperCase() && text !== text.toLowerCase()) return text;
  return text.toLowerCase().replace(/(^|[\s'-])([a-z])/g, (_m, sep: string, letter: string) => sep + letter.toUpperCase());
}

const OPT_OUT_LANGUAGE = /\b(reply|text|send|txt)\s+"?stop"?\b|\bstop\s+to\s+(opt[\s-]?out|end|quit|unsubscribe|cancel)\b|\bopt[\s-]?out\b/i;

export type FirstMessageProblem = { code: "no_sender_identification" | "no_opt_out_language"; message: string };

/**
 * What the first message of a campaign lacks: the sender's name (the {{brand}} field or the brand
 * itself) and opt-out language ("Reply STOP to opt out").
 */
export function firstMessageProblems(template: string, brand: string): FirstMessageProblem[] {
  const problems: FirstMessageProblem[] = [];
  const namesSender = templatePlaceholders(template).some((part) => part.field === "brand") || (brand.trim() !== "" && template.toLowerCase().includes(brand.trim().toLowerCase()));
  if (!namesSender) problems.push({ code: "no_sender_identification", message: "The first message must say who is texting: add {{brand}} (your business name)." });
  if (!OPT_OUT_LANGUAGE.test(template)) problems.push({ code: "no_opt_out_language", message: 'The first message must say how to stop texts, e.g. "Reply STOP to opt out."' });
  return problems;
}

/** The one-click fix: the template with what firstMessageProblems found missing appended. */
export function withComplianceFooter(template: string, brand: string): string {
  const problems = new Set(firstMessageProblems(template, brand).map((problem) => problem.code));
  if (problems.size === 0) return template;
  const trimmed = template.trimEnd();
  const sentenceEnd = /[.!?]$/.test(trimmed) || trimmed === "" ? "" : ".";
  const parts = [problems.has("no_sender_identification") ? "- {{brand}}." : null, problems.has("no_opt_out_language") ? "Reply STOP to opt out." : null].filter(Boolean);
  return `${trimmed}${sentenceEnd} ${parts.join(" ")}`.trim();
}
