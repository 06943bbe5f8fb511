import type { Metadata } from "next";
import Link from "next/link";
import { oauthProviderIds } from "@/server/auth/options";
import { SignInForm } from "@/components/auth/sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

const NOTICES: Record<string, string> = {
  deactivated: "Your account has been deactivated. Ask an admin of your organization to reactivate it.",
  "no-org": "Your account is not part of an organization yet. Ask an admin for an invite.",
  joined: "Your account is ready. Sign in with the password you just chose.",
  "password-reset": "Your password was changed and every other browser signed out. Sign in with the new password.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  return (
    <>
      <h1 className="mb-1 text-lg font-semibold">Sign in</h1>
      <p className="mb-6 text-sm text-slate-500">
        New to LeadFlow?{" "}
        <Link className="font-medium text-brand-600 hover:underline" href="/sign-up">
          Create an organization
        </Link>
      </p>
      <SignInForm
        callbackUrl={params.callbackUrl?.startsWith("/") ? params.callbackUrl : "/"}
        notice={params.notice ? NOTICES[params.notice] : undefined}
        initialError={params.error && params.error !== "CredentialsSignin" ? params.error : undefined}
        oauthProviders={oauthProviderIds}
      />
    </>
  );
}
