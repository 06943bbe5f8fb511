import type { Metadata } from "next";
import Link from "next/link";
import { ForgotPasswordForm } from "@/components/auth/forgot-password-form";

export const metadata: Metadata = { title: "Forgot password" };

export default function ForgotPasswordPage() {
  return (
    <>
      <h1 className="mb-1 text-lg font-semibold">Forgot your password?</h1>
      <p className="mb-6 text-sm text-slate-500">
        Enter the email you sign in with and we will email you a link to choose a new password.{" "}
        <Link className="font-medium text-brand-600 hover:underline" href="/sign-in">
          Back to sign in
        </Link>
      </p>
      <ForgotPasswordForm />
    </>
  );
}
