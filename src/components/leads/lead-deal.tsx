"use client";

import { useState } from "react";
import { centsToDollarInput, formatIsoDay, parseDollarsToCents } from "@/components/shared/format";
import { describeError } from "@/components/shared/trpc-error";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/field";
import { formatCents } from "@/lib/money";
import { api } from "@/trpc/react";
import type { LeadDetail } from "./labels";
import { useLeadCache } from "./use-lead";

/** The server's cap on money amounts: $100,000,000. */
const MAX_DEAL_CENTS = 10_000_000_000;

/** Deal value and expected close (issue 13 item 2): what the pipeline board and its forecast sum. */
export function LeadDeal({ lead }: { lead: LeadDetail }) {
  const cache = useLeadCache(lead.id);
  const utils = api.useUtils();
  const [editing, setEditing] = useState(false);
  const [amount, setAmount] = useState("");
  const [closeOn, setCloseOn] = useState("");
  const [amountError, setAmountError] = useState<string | null>(null);
  const update = api.leads.update.useMutation({
    onSuccess: (updated) => {
      cache.accept(updated);
      cache.listsChanged();
      void utils.pipeline.summary.invalidate();
      setEditing(false);
    },
  });
  const failure = update.error ? describeError(update.error) : null;

  function start() {
    update.reset();
    setAmountError(null);
    setAmount(lead.dealValueCents === null ? "" : centsToDollarInput(lead.dealValueCents));
    setCloseOn(lead.expectedCloseOn ?? "");
    setEditing(true);
  }

  function save(event: React.FormEvent) {
    event.preventDefault();
    let dealValueCents: number | null = null;
    if (amount.trim() !== "") {
      const parsed = parseDollarsToCents(amount, MAX_DEAL_CENTS);
      if (!parsed.ok) return setAmountError(parsed.error);
      dealValueCents = parsed.cents;
    }
    setAmountError(null);
    update.mutate({ id: lead.id, patch: { dealValueCents, expectedCloseOn: closeOn || null } });
  }

  return (
    <Card
      title="Deal"
      actions={
        !editing && (
          <Button size="sm" variant="secondary" onClick={start}>
            {lead.dealValueCents === null ? "Add value" : "Edit"}
          </Button>
        )
      }
    >
      {editing ? (
        <form className="space-y-3" onSubmit={save} aria-label="Deal value">
          <Field label="Deal value ($)" error={amountError ?? failure?.fieldErrors["patch.dealValueCents"]} hint="What the deal is worth to you, e.g. 25,000.">
            {(props) => <Input {...props} inputMode="decimal" value={amount} onChange={(event) => setAmount(event.target.value)} placeholder="25,000" />}
          </Field>
          <Field label="Expected close" error={failure?.fieldErrors["patch.expectedCloseOn"]}>
            {(props) => <Input {...props} type="date" value={closeOn} onChange={(event) => setCloseOn(event.target.value)} />}
          </Field>
          {failure && <p role="alert" className="text-sm text-red-700">{failure.message}</p>}
          <div className="flex gap-2">
            <Button type="submit" size="sm" pending={update.isPending}>
              Save
            </Button>
            <Button type="button" size="sm" variant="secondary" onClick={() => setEditing(false)}>
              Cancel
            </Button>
          </div>
        </form>
      ) : (
        <dl className="grid grid-cols-2 gap-2 text-sm" data-testid="lead-deal">
          <div>
            <dt className="text-slate-500">Value</dt>
            <dd className="font-semibold text-slate-900" data-testid="lead-deal-value">{lead.dealValueCents === null ? "—" : formatCents(lead.dealValueCents)}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Expected close</dt>
            <dd className="text-slate-900">{lead.expectedCloseOn ? formatIsoDay(lead.expectedCloseOn) : "—"}</dd>
          </div>
        </dl>
      )}
    </Card>
  );
}
