"use client";

import { useState } from "react";
import { formatPhone } from "@/components/shared/format";
import { describeError } from "@/components/shared/trpc-error";
import { Modal } from "@/components/skip-trace/skip-trace-modal";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input, inputClass, Select } from "@/components/ui/field";
import { api } from "@/trpc/react";
import { REASON_LABELS, type OptOutRow } from "./opt-outs-filters";

const OPT_IN_KINDS = {
  documented_consent: "Documented consent (form, recorded call, email)",
  start_reply: "They texted START (or YES, UNSTOP)",
} as const;
type OptInKind = keyof typeof OPT_IN_KINDS;

/** The consent a documented opt-in records in the consent log (a START reply is inbound-initiated). */
const DOCUMENTED_CONSENT_TYPES = { express_written: "Written (a signed form, an email, a text)", verbal: "Verbal (a call)" } as const;
type DocumentedConsentType = keyof typeof DOCUMENTED_CONSENT_TYPES;

/** Managers: lift an opt-out only by recording how the person opted back in. */
export function LiftOptOutDialog({ row, onClose, onLifted }: { row: OptOutRow; onClose: () => void; onLifted: () => void }) {
  const [optInKind, setOptInKind] = useState<OptInKind>("documented_consent");
  const [consentType, setConsentType] = useState<DocumentedConsentType>("express_written");
  const [reason, setReason] = useState("");
  const [evidence, setEvidence] = useState("");
  const lift = api.suppressions.lift.useMutation({ onSuccess: onLifted });
  const failure = lift.error ? describeError(lift.error) : null;
  const formId = `lift-${row.id}`;

  return (
    <Modal
      open
      onClose={onClose}
      testId="lift-opt-out-dialog"
      title={`Lift the opt-out of ${formatPhone(row.phone)}`}
      description={`Opted out: ${REASON_LABELS[row.reason].toLowerCase()}. The number can be texted again once lifted; this is recorded with your name.`}
      footer={
        <>
          <Button type="button" variant="secondary" onClick={onClose}>Cancel</Button>
          <Button type="submit" form={formId} variant="danger" pending={lift.isPending}>Lift opt-out</Button>
        </>
      }
    >
      <form
        id={formId}
        className="space-y-3"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          lift.mutate({ id: row.id, optInKind, reason, evidence, ...(optInKind === "documented_consent" ? { consentType } : {}) });
        }}
      >
        {row.reason === "provider_21610" && (
          <Alert tone="warning">
            Twilio blocks this number on its side too (error 21610) until the person texts START to your number; lifting here does not change that.
          </Alert>
        )}
        <Field label="How did they opt back in?">
          {(p) => (
            <Select {...p} value={optInKind} onChange={(e) => setOptInKind(e.target.value as OptInKind)}>
              {(Object.keys(OPT_IN_KINDS) as OptInKind[]).map((kind) => (
                <option key={kind} value={kind}>{OPT_IN_KINDS[kind]}</option>
              ))}
            </Select>
          )}
        </Field>
        {optInKind === "documented_consent" && (
          <Field label="Kind of consent" hint="Recorded in the consent log with your evidence.">
            {(p) => (
              <Select {...p} value={consentType} onChange={(e) => setConsentType(e.target.value as DocumentedConsentType)}>
                {(Object.keys(DOCUMENTED_CONSENT_TYPES) as DocumentedConsentType[]).map((kind) => (
                  <option key={kind} value={kind}>{DOCUMENTED_CONSENT_TYPES[kind]}</option>
                ))}
              </Select>
            )}
          </Field>
        )}
        <Field label="Reason" error={failure?.fieldErrors.reason}>
          {(p) => <Input {...p} name="reason" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Owner asked to hear our offer again" autoFocus />}
        </Field>
        <Field label="Evidence of consent" error={failure?.fieldErrors.evidence} hint="Where the proof is: the form, the recording, the message — with its date.">
          {(p) => (
            <textarea
              {...p}
              name="evidence"
              rows={3}
              className={inputClass}
              value={evidence}
              onChange={(e) => setEvidence(e.target.value)}
              placeholder="Signed consent form dated Nov 20, saved in the deal folder"
            />
          )}
        </Field>
        {failure && Object.keys(failure.fieldErrors).length === 0 && <Alert tone="error">{failure.message}</Alert>}
      </form>
    </Modal>
  );
}
