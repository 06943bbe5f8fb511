"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/field";
import { US_TIME_ZONES } from "@/lib/time-zones";
import { api } from "@/trpc/react";

export function SignUpForm() {
  const router = useRouter();
  const signUp = api.account.signUp.useMutation();
  const [signingIn, setSigningIn] = useState(false);
  const failure = signUp.error ? describeError(signUp.error) : null;

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "");
    const password = String(form.get("password") ?? "");
    await signUp
      .mutateAsync({
        name: String(form.get("name") ?? ""),
        email,
        password,
        organizationName: String(form.get("organizationName") ?? ""),
        timeZone: String(form.get("timeZone") ?? "America/New_York"),
      })
      .then(async () => {
        setSigningIn(true);
        await signIn("credentials", { email, password, redirect: false });
        router.replace("/");
        router.refresh();
      })
      .catch(() => undefined);
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {failure && <Alert tone="error">{failure.message}</Alert>}
      <Field label="Your name" error={failure?.fieldErrors.name}>
        {(p) => <Input {...p} name="name" autoComplete="name" required autoFocus />}
      </Field>
      <Field label="Work email" error={failure?.fieldErrors.email}>
        {(p) => <Input {...p} name="email" type="email" autoComplete="email" required />}
      </Field>
      <Field label="Password" error={failure?.fieldErrors.password} hint="At least 10 characters.">
        {(p) => <Input {...p} name="password" type="password" autoComplete="new-password" required minLength={10} />}
      </Field>
      <Field label="Organization name" error={failure?.fieldErrors.organizationName}>
        {(p) => <Input {...p} name="organizationName" autoComplete="organization" required />}
      </Field>
      <Field label="Time zone" error={failure?.fieldErrors.timeZone} hint="Used for daily budgets and reports.">
        {(p) => (
          <Select {...p} name="timeZone" defaultValue="America/New_York">
            {US_TIME_ZONES.map((zone) => (
              <option key={zone}>{zone}</option>
            ))}
          </Select>
        )}
      </Field>
      <Button type="submit" className="w-full" pending={signUp.isPending || signingIn}>
        Create organization
      </Button>
    </form>
  );
}
