"use client";

import { useState } from "react";
import { formatIsoDay, localToday, parseDollarsToCents } from "@/components/shared/format";
import { Time } from "@/components/shared/time";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/field";
import { formatCents } from "@/lib/money";
import { api } from "@/trpc/react";
import type { LeadDetail } from "./labels";
import { useLeadCache } from "./use-lead";

/** The server's cap on money amounts: $100,000,000. */
const MAX_REVENUE_CENTS = 10_000_000_000;

export function LeadOutcome({ lead }: { lead: LeadDetail }) {
  const cache = useLeadCache(lead.id);
  const [mode, setMode] = useState<"idle" | "won" | "lost">("idle");
  const [amount, setAmount] = useState("");
  const [date, setDate] = useState("");
  const [reason, setReason] = useState("");
  const [amountError, setAmountError] = useState<string | null>(null);
  const outcome = api.leads.setOutcome.useMutation({
    onSuccess: (updated) => {
      cache.accept(updated);
      cache.listsChanged();
      setMode("idle");
    },
  });
  const failure = outcome.error ? describeError(outcome.error) : null;

  function start(next: "won" | "lost") {
    outcome.reset();
    setAmountError(null);
    setMode(next);
    if (next === "won") setDate(localToday());
  }

  return (
    <Card title="Outcome">
      {lead.wonAt ? (
        <div className="space-y-3" data-testid="outcome">
          <Alert tone="success">
            <span className="font-semibold">Won</span> · {lead.wonAmountCents !== null ? formatCents(lead.wonAmountCents) : "—"} on {formatIsoDay(lead.wonAt)}
          </Alert>
          <Button size="sm" variant="secondary" pending={outcome.isPending} onClick={() => outcome.mutate({ id: lead.id, outcome: "reopen" })}>
            Reopen
          </Button>
        </div>
      ) : lead.lostAt ? (
        <div className="space-y-3" data-testid="outcome">
          <Alert tone="warning">
            <span className="font-semibold">Lost</span> <Time value={lead.lostAt} />
            {lead.lostReason && <span className="mt-1 block whitespace-pre-wrap">{lead.lostReason}</span>}
          </Alert>
          <Button size="sm" variant="secondary" pending={outcome.isPending} onClick={() => outcome.mutate({ id: lead.id, outcome: "reopen" })}>
            Reopen
          </Button>
        </div>
      ) : mode === "won" ? (
        <form
          className="space-y-3"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            const parsed = parseDollarsToCents(amount, MAX_REVENUE_CENTS);
            if (!parsed.ok) return setAmountError(parsed.error);
            setAmountError(null);
            outcome.mutate({ id: lead.id, outcome: "won", amountCents: parsed.cents, date });
          }}
        >
          <Field label="Revenue ($)" error={amountError ?? failure?.fieldErrors.amountCents} hint="What the deal made you, e.g. 12,500">
            {(p) => <Input {...p} inputMode="decimal" placeholder="12,500.00" value={amount} autoFocus onChange={(e) => setAmount(e.target.value)} />}
          </Field>
          <Field label="Date won" error={failure?.fieldErrors.date}>
            {(p) => <Input {...p} type="date" value={date} required onChange={(e) => setDate(e.target.value)} />}
          </Field>
          <div className="flex gap-2">
            <Button type="submit" size="sm" pending={outcome.isPending}>
              Save as won
            </Button>
            <Button type="button" size="sm" variant="ghost" onClick={() => setMode("idle")}>
              Cancel
            </Button>
          </div>
        </form>
      ) : mode === "lost" ? (
        <form
          className="space-y-3"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            outcome.mutate({ id: lead.id, outcome: "lost", reason });
          }}
        >
          <Field label="Why was it lost?" error={failure?.fieldErrors.reason}>
            {(p) => <Input {...p} placeholder="e.g. Owner sold to another buyer" value={reason} maxLength={500} autoFocus onChange={(e) => setReason(e.target.value)} />}
          </Field>
          <div className="flex gap-2">
            <Button type="submit" size="sm" variant="danger" pending={outcome.isPending}>
              Save as lost
            </Button>
            <Button type="button" size="sm" variant="ghost" onClick={() => setMode("idle")}>
              Cancel
            </Button>
          </div>
        </form>
      ) : (
        <div className="space-y-2">
          <p className="text-sm text-slate-500">Record how this lead ended. You can reopen it later.</p>
          <div className="flex gap-2">
            <Button size="sm" onClick={() => start("won")}>
              Mark won
            </Button>
            <Button size="sm" variant="secondary" onClick={() => start("lost")}>
              Mark lost
            </Button>
          </div>
        </div>
      )}
      {failure && Object.keys(failure.fieldErrors).length === 0 && (
        <Alert tone="error" className="mt-3">
          {failure.message}
        </Alert>
      )}
    </Card>
  );
}
