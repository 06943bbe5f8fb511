import { smsReplyRuleSetSchema, type SmsReplyKind, type SmsReplyRule, type SmsReplyRuleSet } from "@/lib/sms-replies";

/**
 * The rules editor's draft: each rule's phrase lists as the text an admin types (one phrase per
 * line), so typing a new line is possible; converted to a rule set to save or try.
 */
export type RuleDraft = {
  /** Stable React key; not saved. */
  key: string;
  id: string;
  kind: SmsReplyKind;
  match: SmsReplyRule["match"];
  phrases: string;
  unless: string;
  unlessAnywhere: string;
  explanation: string;
};

export const KIND_LABELS: Record<SmsReplyKind, { label: string; help: string }> = {
  opt_out: { label: "Opt-out keyword", help: "The whole message is the keyword: the number is suppressed and gets one confirmation." },
  opt_in: { label: "Opt-in keyword", help: "The whole message is the keyword: lifts an earlier opt-out and sends the opt-in text." },
  help: { label: "Help keyword", help: "The whole message is the keyword: answered with the help text." },
  refusal: { label: "Refusal", help: "A free-text refusal: the number is suppressed for the whole organization, no reply is sent." },
  wrong_number: { label: "Wrong number", help: "The phone is marked wrong and suppressed for this lead only." },
  review: { label: "Needs review", help: "Nothing is suppressed; the message goes to the review queue for a person to decide." },
};

export const KEYWORD_KIND_LIST: readonly SmsReplyKind[] = ["opt_out", "opt_in", "help"];

const lines = (list: readonly string[] | undefined) => (list ?? []).join("\n");
const fromLines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);

let keys = 0;
const nextKey = () => `rule-${++keys}`;

export function toDrafts(ruleSet: SmsReplyRuleSet): RuleDraft[] {
  return ruleSet.rules.map((rule) => ({
    key: nextKey(),
    id: rule.id,
    kind: rule.kind,
    match: rule.match,
    phrases: lines(rule.phrases),
    unless: lines(rule.unless),
    unlessAnywhere: lines(rule.unlessAnywhere),
    explanation: rule.explanation,
  }));
}

/** The rule set a draft stands for (unvalidated: the server, or validateDraft, decides). */
export function fromDrafts(drafts: readonly RuleDraft[]): SmsReplyRuleSet {
  return {
    version: 1,
    rules: drafts.map((draft) => {
      const unless = fromLines(draft.unless);
      const unlessAnywhere = fromLines(draft.unlessAnywhere);
      return {
        id: draft.id.trim(),
        kind: draft.kind,
        match: draft.match,
        phrases: fromLines(draft.phrases),
        ...(unless.length ? { unless } : {}),
        ...(unlessAnywhere.length ? { unlessAnywhere } : {}),
        explanation: draft.explanation.trim(),
      };
    }),
  };
}

/** A fresh rule with an id no other rule has. */
export function newRuleDraft(existing: readonly RuleDraft[], kind: SmsReplyKind = "refusal"): RuleDraft {
  const ids = new Set(existing.map((draft) => draft.id));
  let n = 1;
  while (ids.has(`custom-${kind.replace("_", "-")}-${n}`)) n++;
  return {
    key: nextKey(),
    id: `custom-${kind.replace("_", "-")}-${n}`,
    kind,
    match: KEYWORD_KIND_LIST.includes(kind) ? "whole_body" : "contains",
    phrases: "",
    unless: "",
    unlessAnywhere: "",
    explanation: "",
  };
}

export type DraftProblems = {
  /** Problems with the rule set as a whole (STOP missing, no rules). */
  form: string[];
  /** Per rule index, per field (id, kind, match, phrases, unless, unlessAnywhere, explanation). */
  rules: Record<number, Partial<Record<keyof RuleDraft, string[]>>>;
};

export const noProblems = (): DraftProblems => ({ form: [], rules: {} });

/**
 * Field errors keyed by their path ("ruleSet.rules.3.phrases.2", as the server's zodIssues carry
 * them, or "rules.3.phrases.2" from a local check) grouped by rule and field.
 */
export function problemsFromFieldErrors(fieldErrors: Record<string, string[]>, formErrors: string[] = []): DraftProblems {
  const problems: DraftProblems = { form: [...formErrors], rules: {} };
  for (const [path, messages] of Object.entries(fieldErrors)) {
    const parts = path.split(".");
    const at = parts.indexOf("rules");
    const index = at >= 0 ? Number(parts[at + 1]) : Number.NaN;
    const field = at >= 0 ? parts[at + 2] : undefined;
    if (Number.isInteger(index) && field) {
      const rule = (problems.rules[index] ??= {});
      const key = (field in FIELD_NAMES ? field : "id") as keyof RuleDraft;
      (rule[key] ??= []).push(...messages);
    } else {
      problems.form.push(...messages);
    }
  }
  return problems;
}

const FIELD_NAMES = { id: 1, kind: 1, match: 1, phrases: 1, unless: 1, unlessAnywhere: 1, explanation: 1 } as const;

/** The same check the server runs, on the draft: problems by rule and field, or none. */
export function validateDraft(drafts: readonly RuleDraft[]): { ruleSet: SmsReplyRuleSet | null; problems: DraftProblems } {
  const parsed = smsReplyRuleSetSchema.safeParse(fromDrafts(drafts));
  if (parsed.success) return { ruleSet: parsed.data, problems: noProblems() };
  const fieldErrors: Record<string, string[]> = {};
  const formErrors: string[] = [];
  for (const issue of parsed.error.issues) {
    const path = issue.path.map(String).join(".");
    if (path && path !== "rules") (fieldErrors[path] ??= []).push(issue.message);
    else formErrors.push(issue.message);
  }
  return { ruleSet: null, problems: problemsFromFieldErrors(fieldErrors, formErrors) };
}

export function problemCount(problems: DraftProblems): number {
  return problems.form.length + Object.values(problems.rules).reduce((n, fields) => n + Object.values(fields).reduce((m, list) => m + (list?.length ?? 0), 0), 0);
}
