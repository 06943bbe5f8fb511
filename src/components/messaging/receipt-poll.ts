/**
 * While a recent outbound text awaits its delivery receipt, a thread also looks again every few
 * seconds: the receipt normally arrives live, but a live stream that dropped it (a reconnect, a
 * restarted server) must not leave "Queued" on screen.
 */
const RECEIPT_POLL_MS = 5_000;
const RECEIPT_WINDOW_MS = 10 * 60_000;
const AWAITING_RECEIPT = new Set(["queued", "sending", "sent"]);

type ShownMessage = { direction: string; status: string; createdAt: Date };

/** A thread query's refetchInterval: RECEIPT_POLL_MS while any shown outbound text of the last minutes awaits its receipt. */
export function receiptPollInterval(messages: readonly ShownMessage[]): number | false {
  const since = Date.now() - RECEIPT_WINDOW_MS;
  return messages.some((m) => m.direction === "outbound" && AWAITING_RECEIPT.has(m.status) && m.createdAt.getTime() > since) ? RECEIPT_POLL_MS : false;
}
