import type { ReplyIntent } from "./rules";

/** The lead statuses (prisma LeadStatus), in pipeline order; lib cannot import the generated enum. */
export type PipelineStatus = "new" | "contacted" | "replied" | "interested" | "negotiating" | "under_contract" | "closed" | "dead";

/** Where a reply of each intent moves a lead; intents not listed move nothing (opt-outs and wrong numbers are the webhook's). */
const TARGET: Partial<Record<ReplyIntent, PipelineStatus>> = { interested: "interested", not_interested: "dead" };

/** A reply moves only a lead still at an early stage: never backwards out of a later stage, never out of closed or dead. */
const MOVABLE_FROM: readonly PipelineStatus[] = ["new", "contacted", "replied"];

export type StatusSuggestion = { to: PipelineStatus; from: PipelineStatus } | null;

/** The status a reply of this intent moves (apply) or suggests moving (suggest) the lead to, or null. */
export function statusForReplyIntent(intent: ReplyIntent, current: PipelineStatus): StatusSuggestion {
  const to = TARGET[intent];
  if (!to || to === current || !MOVABLE_FROM.includes(current)) return null;
  return { from: current, to };
}
