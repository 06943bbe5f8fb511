"use client";

import { useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Modal } from "@/components/skip-trace/skip-trace-modal";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";

/**
 * A removal that needs a reason (audited): the dialog, the reason field with the server's refusal
 * under it, and the confirm button. The caller owns the mutation.
 */
export function RemoveWithReasonDialog({
  testId,
  title,
  description,
  confirmLabel,
  reasonLabel,
  reasonHint,
  placeholder,
  pending,
  error,
  onConfirm,
  onClose,
}: {
  testId: string;
  title: string;
  description: string;
  confirmLabel: string;
  reasonLabel: string;
  reasonHint?: string;
  placeholder: string;
  pending: boolean;
  error: unknown;
  onConfirm: (reason: string) => void;
  onClose: () => void;
}) {
  const [reason, setReason] = useState("");
  const failure = error ? describeError(error) : null;
  const formId = `${testId}-form`;
  return (
    <Modal
      open
      onClose={onClose}
      testId={testId}
      title={title}
      description={description}
      footer={
        <>
          <Button type="button" variant="secondary" onClick={onClose}>Cancel</Button>
          <Button type="submit" form={formId} variant="danger" pending={pending}>{confirmLabel}</Button>
        </>
      }
    >
      <form
        id={formId}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          onConfirm(reason);
        }}
      >
        <Field label={reasonLabel} error={failure?.fieldErrors.reason} hint={reasonHint}>
          {(p) => <textarea {...p} name="reason" rows={3} className={inputClass} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={placeholder} autoFocus />}
        </Field>
        {failure && Object.keys(failure.fieldErrors).length === 0 && <Alert tone="error" className="mt-3">{failure.message}</Alert>}
      </form>
    </Modal>
  );
}
