import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SessionsManager } from "@/components/settings/sessions-manager";
import { Card, PageHeader } from "@/components/ui/card";
import { getViewerState } from "@/server/auth/session";
import { api, HydrateClient } from "@/trpc/server";

export const metadata: Metadata = { title: "Profile" };

export default async function ProfilePage() {
  const state = await getViewerState();
  if (state.kind !== "active") redirect("/sign-in");
  const { viewer } = state;
  void api.account.sessions.prefetch();
  return (
    <HydrateClient>
      <PageHeader title="Profile" description="Your account and the devices signed in to it." />
      <div className="space-y-6">
        <Card title="Account">
          <dl className="grid grid-cols-[8rem_1fr] gap-y-2 text-sm">
            <dt className="text-slate-500">Name</dt>
            <dd>{viewer.name ?? "—"}</dd>
            <dt className="text-slate-500">Email</dt>
            <dd>{viewer.email}</dd>
            <dt className="text-slate-500">Role</dt>
            <dd>{viewer.role} in {viewer.orgName}</dd>
          </dl>
        </Card>
        <SessionsManager />
      </div>
    </HydrateClient>
  );
}
