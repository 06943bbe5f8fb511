import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { KillSwitchesManager, KillSwitchesSkeleton } from "@/components/admin/kill-switches-manager";
import { QueryBoundary } from "@/components/shared/query-boundary";
import { PageHeader } from "@/components/ui/card";
import { getViewerState } from "@/server/auth/session";
import { api, HydrateClient } from "@/trpc/server";

export const metadata: Metadata = { title: "Kill switches" };

export default async function KillSwitchesPage() {
  const state = await getViewerState();
  if (state.kind !== "active" || state.viewer.role !== "admin") redirect("/");
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
