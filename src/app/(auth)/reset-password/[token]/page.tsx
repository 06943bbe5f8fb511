import type { Metadata } from "next";
import Link from "next/link";
import { ResetPasswordForm } from "@/components/auth/reset-password-form";
import { Alert } from "@/components/ui/alert";
import { api } from "@/trpc/server";

export const metadata: Metadata = { title: "Choose a new password" };

export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const info = await api.account.passwordResetInfo({ token }).catch((error: Error) => ({ error: error.message }));
  if ("error" in info) {
    return (
      <div className="space-y-4">
        <h1 className="text-lg font-semibold">This link cannot be used</h1>
        <Alert tone="error">{info.error}</Alert>
        <Link className="text-sm font-medium text-brand-600 hover:underline" href="/forgot-password">
          Ask for a new link
        </Link>
      </div>
    );
  }
  return (
    <>
      <h1 className="mb-1 text-lg font-semibold">Choose a new password</h1>
      <p className="mb-6 text-sm text-slate-500">
        For {info.email}. Every browser signed in to this account will be signed out.
      </p>
      <ResetPasswordForm token={token} email={info.email} />
    </>
  );
}
