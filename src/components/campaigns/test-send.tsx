"use client";

import { useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/field";
import { api } from "@/trpc/react";

/** A phone typed as people write US numbers → E.164 (the server says what is wrong with anything else). */
export function toE164(raw: string): string {
  const text = raw.trim();
  const digits = text.replace(/\D/g, "");
  if (text.startsWith("+")) return `+${digits}`;
  if (digits.length === 10) return `+1${digits}`;
  if (digits.length === 11 && digits.startsWith("1")) return `+${digits}`;
  return text;
}

/** "Send a test to my phone": the template rendered for a sample lead, through the same send decision. */
export function TestSend({ campaignId }: { campaignId: string }) {
  const [phone, setPhone] = useState("");
  const send = api.campaigns.testSend.useMutation();
  const failure = send.error ? describeError(send.error) : null;
  return (
    <Card title="Send a test to my phone" description="The message filled in for a lead of the audience, sent to your number only. It counts against today's SMS budget.">
      <form
        className="flex flex-wrap items-start gap-2"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          send.mutate({ id: campaignId, phone: toE164(phone) });
        }}
      >
        <div className="w-64">
          <Field label="Your mobile number" error={failure?.fieldErrors.phone}>
            {(p) => <Input {...p} name="phone" type="tel" inputMode="tel" autoComplete="tel" placeholder="(512) 555-0123" value={phone} onChange={(e) => (send.reset(), setPhone(e.target.value))} />}
          </Field>
        </div>
        <Button type="submit" variant="secondary" className="mt-6" pending={send.isPending} disabled={phone.trim() === ""}>
          Send test
        </Button>
      </form>
      {failure && Object.keys(failure.fieldErrors).length === 0 && (
        <Alert tone="error" className="mt-3">
          {failure.message}
        </Alert>
      )}
      {send.data && (
        <Alert tone="success" className="mt-3">
          <p data-testid="test-send-result">
            Test {send.data.status === "failed" ? "failed" : "sent"} ({send.data.status}):
          </p>
          <p className="mt-1 whitespace-pre-wrap font-mono text-xs">{send.data.body}</p>
        </Alert>
      )}
    </Card>
  );
}
