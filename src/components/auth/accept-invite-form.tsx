"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { api } from "@/trpc/react";

export function AcceptInviteForm({ token, email }: { token: string; email: string }) {
  const router = useRouter();
  const accept = api.account.acceptInvite.useMutation();
  const failure = accept.error ? describeError(accept.error) : null;

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get("password") ?? "");
    const accepted = await accept.mutateAsync({ token, name: String(form.get("name") ?? ""), password }).catch(() => null);
    if (!accepted) return;
    const result = await signIn("credentials", { email, password, redirect: false });
    router.replace(result?.ok ? "/" : "/sign-in?notice=joined");
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {failure && <Alert tone="error">{failure.message}</Alert>}
      <Field label="Email">{(p) => <Input {...p} value={email} readOnly disabled />}</Field>
      <Field label="Your name" error={failure?.fieldErrors.name}>
        {(p) => <Input {...p} name="name" autoComplete="name" required autoFocus />}
      </Field>
      <Field label="Password" error={failure?.fieldErrors.password} hint="At least 10 characters.">
        {(p) => <Input {...p} name="password" type="password" autoComplete="new-password" required />}
      </Field>
      <Button type="submit" className="w-full" pending={accept.isPending}>
        Join and sign in
      </Button>
    </form>
  );
}
