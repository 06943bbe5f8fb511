import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ProviderStatusSkeleton, ProviderStatusView } from "@/components/admin/provider-status-table";
import { QueryBoundary } from "@/components/shared/query-boundary";
import { PageHeader } from "@/components/ui/card";
import { getViewerState } from "@/server/auth/session";
import { api, HydrateClient } from "@/trpc/server";
import { RoleRequired } from "@/components/shared/role-required";

export const metadata: Metadata = { title: "Provider status" };

export default async function ProviderStatusPage() {
  const state = await getViewerState();
  if (state.kind !== "active") redirect("/");
  // Said, not a silent redirect: the member learns which role the page needs.
  if (state.viewer.role !== "admin") return <RoleRequired page="Provider status" needs="admin" role={state.viewer.role} />;
  void api.providers.status.prefetch();
  return (
    <HydrateClient>
      <PageHeader title="Provider status" description="Whether each provider uses its live API or the sandbox, circuit breaker state, recent errors and the search cache hit rate." />
      <QueryBoundary fallback={<ProviderStatusSkeleton />}>
        <ProviderStatusView />
      </QueryBoundary>
    </HydrateClient>
  );
}
