"use client";

import Link from "next/link";
import { useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { api } from "@/trpc/react";

export function ForgotPasswordForm() {
  const request = api.account.requestPasswordReset.useMutation();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const failure = request.error ? describeError(request.error) : null;

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get("email") ?? "");
    const answered = await request.mutateAsync({ email }).catch(() => null);
    if (answered) setSentTo(email.trim());
  }

  if (sentTo && request.data) {
    return (
      <div className="space-y-4">
        <Alert tone="success">
          If {sentTo} has a LeadFlow account, a link to reset its password is on its way. It works once, for an hour.
        </Alert>
        {request.data.devOutbox && (
          <p className="text-sm text-slate-600">
            No email server is configured here (development): the email is in the{" "}
            <Link className="font-medium text-brand-600 hover:underline" href="/outbox">
              outbox
            </Link>
            .
          </p>
        )}
        <Button variant="secondary" onClick={() => setSentTo(null)}>
          Use another email
        </Button>
      </div>
    );
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {failure && !failure.fieldErrors.email && <Alert tone="error">{failure.message}</Alert>}
      <Field label="Email" error={failure?.fieldErrors.email}>
        {(p) => <Input {...p} name="email" type="email" autoComplete="email" required autoFocus />}
      </Field>
      <Button type="submit" className="w-full" pending={request.isPending}>
        Email me a reset link
      </Button>
    </form>
  );
}
