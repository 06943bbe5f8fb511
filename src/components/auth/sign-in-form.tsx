"use client";

import Link from "next/link";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";

const OAUTH_LABELS: Record<string, string> = { google: "Google", github: "GitHub" };

export function SignInForm({ callbackUrl, notice, initialError, oauthProviders }: {
  callbackUrl: string;
  notice?: string;
  initialError?: string;
  oauthProviders: string[];
}) {
  const router = useRouter();
  const [error, setError] = useState<string | undefined>(initialError);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(undefined);
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    });
    if (result?.ok && !result.error) {
      router.replace(callbackUrl);
      router.refresh();
      return;
    }
    setPending(false);
    setError(result?.error && result.error !== "CredentialsSignin" ? result.error : "That email and password do not match.");
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {notice && <Alert tone="warning">{notice}</Alert>}
      {error && <Alert tone="error">{error}</Alert>}
      <Field label="Email">{(p) => <Input {...p} name="email" type="email" autoComplete="email" required autoFocus />}</Field>
      <Field label="Password">
        {(p) => <Input {...p} name="password" type="password" autoComplete="current-password" required />}
      </Field>
      <Button type="submit" className="w-full" pending={pending}>
        Sign in
      </Button>
      <p className="text-center text-sm">
        <Link className="font-medium text-brand-600 hover:underline" href="/forgot-password">
          Forgot your password?
        </Link>
      </p>
      {oauthProviders.length > 0 && (
        <div className="space-y-2 border-t border-slate-100 pt-4">
          {oauthProviders.map((id) => (
            <Button key={id} type="button" variant="secondary" className="w-full" onClick={() => signIn(id, { callbackUrl })}>
              Continue with {OAUTH_LABELS[id] ?? id}
            </Button>
          ))}
        </div>
      )}
    </form>
  );
}
