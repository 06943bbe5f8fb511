"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { api } from "@/trpc/react";

export function ResetPasswordForm({ token, email }: { token: string; email: string }) {
  const router = useRouter();
  const reset = api.account.resetPassword.useMutation();
  const failure = reset.error ? describeError(reset.error) : null;

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get("password") ?? "");
    const done = await reset.mutateAsync({ token, password }).catch(() => null);
    if (!done) return;
    const result = await signIn("credentials", { email, password, redirect: false });
    router.replace(result?.ok ? "/" : "/sign-in?notice=password-reset");
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {failure && !failure.fieldErrors.password && <Alert tone="error">{failure.message}</Alert>}
      <Field label="New password" error={failure?.fieldErrors.password} hint="At least 10 characters.">
        {(p) => <Input {...p} name="password" type="password" autoComplete="new-password" required autoFocus />}
      </Field>
      <Button type="submit" className="w-full" pending={reset.isPending}>
        Save and sign in
      </Button>
    </form>
  );
}
