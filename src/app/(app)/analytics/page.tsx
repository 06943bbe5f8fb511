import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AnalyticsDashboard, AnalyticsSkeleton } from "@/components/analytics/analytics-dashboard";
import { UsagePanel } from "@/components/analytics/usage-panel";
import { QueryBoundary } from "@/components/shared/query-boundary";
import { RoleRequired } from "@/components/shared/role-required";
import { Skeleton, PageHeader } from "@/components/ui/card";
import { getViewerState } from "@/server/auth/session";
import { api, HydrateClient } from "@/trpc/server";

export const metadata: Metadata = { title: "Analytics" };

export default async function AnalyticsPage() {
  const state = await getViewerState();
  if (state.kind !== "active") redirect("/");
  // Said, not a silent redirect: the member learns which role the page needs.
  if (state.viewer.role === "user") return <RoleRequired page="Analytics" needs="manager" role={state.viewer.role} />;
  void api.analytics.overview.prefetch(undefined);
  void api.analytics.usage.prefetch();
  return (
    <HydrateClient>
      <PageHeader
        title="Analytics"
        description="Leads, spend against the caps, cost per contactable lead, the campaign funnel, revenue and ROI, for a range of days in your organization's time zone."
      />
      <div className="space-y-6">
        <QueryBoundary fallback={<AnalyticsSkeleton />}>
          <AnalyticsDashboard />
        </QueryBoundary>
        <section id="usage" aria-label="Usage">
          <QueryBoundary fallback={<Skeleton className="h-80 w-full" />}>
            <UsagePanel />
          </QueryBoundary>
        </section>
      </div>
    </HydrateClient>
  );
}
