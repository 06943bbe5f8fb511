import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { BudgetsManager, BudgetsSkeleton } from "@/components/admin/budgets-manager";
import { QueryBoundary } from "@/components/shared/query-boundary";
import { PageHeader } from "@/components/ui/card";
import { getViewerState } from "@/server/auth/session";
import { api, HydrateClient } from "@/trpc/server";
import { RoleRequired } from "@/components/shared/role-required";

export const metadata: Metadata = { title: "Budgets" };

export default async function BudgetsPage() {
  const state = await getViewerState();
  if (state.kind !== "active") redirect("/");
  // Said, not a silent redirect: the member learns which role the page needs.
  if (state.viewer.role !== "admin") return <RoleRequired page="Budgets" needs="admin" role={state.viewer.role} />;
  void api.budgets.overview.prefetch();
  return (
    <HydrateClient>
      <PageHeader title="Budgets" description="Daily spending caps for each paid provider, today's spend against them, and the last 30 days." />
      <QueryBoundary fallback={<BudgetsSkeleton />}>
        <BudgetsManager />
      </QueryBoundary>
    </HydrateClient>
  );
}
