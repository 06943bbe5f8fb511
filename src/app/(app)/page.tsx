import type { Metadata } from "next";
import { HomeDashboard, HomeDashboardSkeleton } from "@/components/home/home-dashboard";
import { QueryBoundary } from "@/components/shared/query-boundary";
import { PageHeader } from "@/components/ui/card";
import { getViewerState } from "@/server/auth/session";
import { api, HydrateClient } from "@/trpc/server";

export const metadata: Metadata = { title: "Home" };

/** Today at a glance (issue 13 item 7). Every figure is prefetched here in one parallel round and streams in. */
export default async function HomePage() {
  const state = await getViewerState();
  if (state.kind !== "active") return null;
  const { viewer } = state;
  void api.dashboard.home.prefetch();
  void api.leads.counts.prefetch({ filters: {} });
  void api.tasks.mine.prefetch();
  void api.leads.assignees.prefetch();
  void api.tags.list.prefetch();
  return (
    <HydrateClient>
      <PageHeader title={`Welcome${viewer.name ? `, ${viewer.name.split(" ")[0]}` : ""}`} description={`Today in ${viewer.orgName}.`} />
      <QueryBoundary fallback={<HomeDashboardSkeleton />}>
        <HomeDashboard isAdmin={viewer.role === "admin"} />
      </QueryBoundary>
    </HydrateClient>
  );
}
