import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { KillSwitchesManager, KillSwitchesSkeleton } from "@/components/admin/kill-switches-manager";
import { QueryBoundary } from "@/components/shared/query-boundary";
import { PageHeader } from "@/components/ui/card";
import { getViewerState } from "@/server/auth/session";
import { api, HydrateClient } from "@/trpc/server";
import { RoleRequired } from "@/components/shared/role-required";

export const metadata: Metadata = { title: "Kill switches" };

export default async function KillSwitchesPage() {
  const state = await getViewerState();
  if (state.kind !== "active") redirect("/");
  // Said, not a silent redirect: the member learns which role the page needs.
  if (state.viewer.role !== "admin") return <RoleRequired page="Kill switches" needs="admin" role={state.viewer.role} />;
  void api.killSwitches.list.prefetch();
  return (
    <HydrateClient>
      <PageHeader title="Kill switches" description="Stop paid search, skip tracing or SMS sending at once. Every change is audit-logged with who, when and why." />
      <QueryBoundary fallback={<KillSwitchesSkeleton />}>
        <KillSwitchesManager />
      </QueryBoundary>
    </HydrateClient>
  );
}
