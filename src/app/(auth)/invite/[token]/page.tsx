import type { Metadata } from "next";
import Link from "next/link";
import { AcceptInviteForm } from "@/components/auth/accept-invite-form";
import { Alert } from "@/components/ui/alert";
import { api } from "@/trpc/server";

export const metadata: Metadata = { title: "Join your team" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invite = await api.account.inviteInfo({ token }).catch((error: Error) => ({ error: error.message }));
  if ("error" in invite) {
    return (
      <div className="space-y-4">
        <h1 className="text-lg font-semibold">This invite cannot be used</h1>
        <Alert tone="error">{invite.error}</Alert>
        <Link className="text-sm font-medium text-brand-600 hover:underline" href="/sign-in">
          Go to sign in
        </Link>
      </div>
    );
  }
  return (
    <>
      <h1 className="mb-1 text-lg font-semibold">Join {invite.organizationName}</h1>
      <p className="mb-6 text-sm text-slate-500">
        You were invited as <strong>{invite.role}</strong> with {invite.email}. Choose your name and a password.
      </p>
      <AcceptInviteForm token={token} email={invite.email} />
    </>
  );
}
