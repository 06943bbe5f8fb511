import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AutomationSkeleton, AutomationView } from "@/components/automation/automation-view";
import { QueryBoundary } from "@/components/shared/query-boundary";
import { PageHeader } from "@/components/ui/card";
import { getViewerState } from "@/server/auth/session";
import { api, HydrateClient } from "@/trpc/server";

export const metadata: Metadata = { title: "Automation" };

export default async function AutomationPage() {
  const state = await getViewerState();
  // Every member reads the rules and sequences; managers and admins edit them.
  if (state.kind !== "active") redirect("/");
  void api.automation.rules.prefetch();
  void api.automation.sequences.prefetch();
  void api.automation.options.prefetch();
  return (
    <HydrateClient>
      <PageHeader title="Automation" description="Auto-responders answer replies for you; follow-up sequences text the leads who have not answered yet." />
      <QueryBoundary fallback={<AutomationSkeleton />}>
        <AutomationView />
      </QueryBoundary>
    </HydrateClient>
  );
}
