"use client";

import { useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Badge, Card } from "@/components/ui/card";
import { Field, Input, Select } from "@/components/ui/field";
import { api, type RouterOutputs } from "@/trpc/react";
import { KIND_LABELS, type DecisionKind } from "./decisions-labels";

type Preview = RouterOutputs["complianceRules"]["preview"];

/** "2026-12-01T18:30" in the browser's zone, for a datetime-local input. */
function localInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

const OUTCOME_TONE = { allowed: "green", blocked: "red", deferred: "amber" } as const;
const OUTCOME_LABEL = { allowed: "Allowed", blocked: "Blocked", deferred: "Deferred" } as const;

/** Enter a recipient and an instant; see what the send decision would answer and which rule decided. Records nothing. */
export function DecisionPreview() {
  const utils = api.useUtils();
  const [propertyZip, setPropertyZip] = useState("");
  const [mailingZip, setMailingZip] = useState("");
  const [state, setState] = useState("");
  const [phone, setPhone] = useState("");
  const [at, setAt] = useState(() => localInputValue(new Date()));
  const [kind, setKind] = useState<DecisionKind>("campaign");
  const [result, setResult] = useState<Preview | null>(null);
  const [error, setError] = useState<ReturnType<typeof describeError> | null>(null);
  const [pending, setPending] = useState(false);

  async function run(event: React.FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const instant = new Date(at);
      setResult(
        await utils.complianceRules.preview.fetch({
          ...(propertyZip.trim() ? { propertyZip: propertyZip.trim() } : {}),
          ...(mailingZip.trim() ? { mailingZip: mailingZip.trim() } : {}),
          ...(state.trim() ? { state: state.trim() } : {}),
          ...(phone.trim() ? { phone: phone.trim() } : {}),
          at: Number.isNaN(instant.getTime()) ? new Date() : instant,
          kind,
        }, { staleTime: 0 }),
      );
    } catch (caught) {
      setResult(null);
      setError(describeError(caught));
    } finally {
      setPending(false);
    }
  }

  return (
    <Card title="Decision preview" description="What a text to this recipient would get at this instant, and which rule decides. Nothing is sent or recorded.">
      <form onSubmit={run} className="flex flex-wrap items-end gap-3" aria-label="Decision preview">
        <div className="w-32"><Field label="Property ZIP" error={error?.fieldErrors.propertyZip}>{(p) => <Input {...p} inputMode="numeric" value={propertyZip} onChange={(e) => setPropertyZip(e.target.value)} />}</Field></div>
        <div className="w-32"><Field label="Mailing ZIP" error={error?.fieldErrors.mailingZip}>{(p) => <Input {...p} inputMode="numeric" value={mailingZip} onChange={(e) => setMailingZip(e.target.value)} />}</Field></div>
        <div className="w-20"><Field label="State" error={error?.fieldErrors.state}>{(p) => <Input {...p} maxLength={2} value={state} onChange={(e) => setState(e.target.value)} />}</Field></div>
        <div className="w-44"><Field label="Phone" error={error?.fieldErrors.phone}>{(p) => <Input {...p} inputMode="tel" placeholder="(305) 555-0142" value={phone} onChange={(e) => setPhone(e.target.value)} />}</Field></div>
        <div className="w-56"><Field label="At (your time)">{(p) => <Input {...p} type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />}</Field></div>
        <div className="w-48">
          <Field label="Kind of text">
            {(p) => (
              <Select {...p} value={kind} onChange={(e) => setKind(e.target.value as DecisionKind)}>
                {(Object.keys(KIND_LABELS) as DecisionKind[]).map((value) => (
                  <option key={value} value={value}>{KIND_LABELS[value]}</option>
                ))}
              </Select>
            )}
          </Field>
        </div>
        <Button type="submit" pending={pending}>Preview</Button>
      </form>
      {error && !Object.keys(error.fieldErrors).length && <Alert tone="error" className="mt-3">{error.message}</Alert>}
      {result && (
        <div className="mt-4 space-y-2 text-sm" data-testid="decision-preview-result" role="status">
          <p>
            <Badge tone={OUTCOME_TONE[result.outcome]}>{OUTCOME_LABEL[result.outcome]}</Badge>{" "}
            {result.outcome === "allowed" ? <span>No rule holds this text back.</span> : <span>{result.message}</span>}
          </p>
          {result.rule && (
            <p data-testid="decision-preview-rule">
              Decided by <strong>{result.rule.name}</strong> — source: {result.rule.source}
            </p>
          )}
          <p className="text-slate-600">
            Placed in {result.zones.map((z) => `${z.zone} (${z.source}; ${z.localTime})`).join(" and ")}
            {result.states.length ? `; state ${result.states.map((s) => `${s.state} (${s.source})`).join(", ")}` : "; no state known"}.
          </p>
        </div>
      )}
    </Card>
  );
}
