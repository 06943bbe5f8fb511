/**
 * The optional columns of the leads list (issue 14 item 9): what the column picker offers, in the
 * order the table shows them. Address, owner (with its Company/Trust and Absentee badges), status
 * and score are always shown.
 */
export const LEAD_COLUMNS = [
  { id: "phone", label: "Phone" },
  { id: "textable", label: "Textable" },
  { id: "equity", label: "Equity" },
  { id: "value", label: "Value" },
  { id: "lastContact", label: "Last contact" },
  { id: "nextTask", label: "Next task" },
  { id: "tags", label: "Tags" },
  { id: "assignee", label: "Assignee" },
] as const;

export type LeadColumnId = (typeof LEAD_COLUMNS)[number]["id"];
export const LEAD_COLUMN_IDS = LEAD_COLUMNS.map((column) => column.id) as [LeadColumnId, ...LeadColumnId[]];

/** What a user who never picked sees: the list as it was before the picker. */
export const DEFAULT_LEAD_COLUMNS: readonly LeadColumnId[] = ["phone", "textable", "tags", "assignee"];

/** A saved choice in the table's order, unknown ids (a column since removed) dropped. */
export function normalizeLeadColumns(ids: readonly string[]): LeadColumnId[] {
  const wanted = new Set(ids);
  return LEAD_COLUMN_IDS.filter((id) => wanted.has(id));
}
