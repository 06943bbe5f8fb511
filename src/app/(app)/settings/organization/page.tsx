import type { Metadata } from "next";
import { OrganizationForm } from "@/components/settings/organization-form";
import { SkipTraceSettingsForm } from "@/components/settings/skip-trace-settings-form";
import { PageHeader } from "@/components/ui/card";
import { getViewerState } from "@/server/auth/session";
import { api, HydrateClient } from "@/trpc/server";

export const metadata: Metadata = { title: "Organization" };

export default async function OrganizationSettingsPage() {
  const state = await getViewerState();
  void api.organization.get.prefetch();
  return (
    <HydrateClient>
      <PageHeader title="Organization" description="Your organization's name and the time zone that defines “today” for budgets and reports." />
      <div className="space-y-6">
        <OrganizationForm canEdit={state.kind === "active" && state.viewer.role === "admin"} />
        <SkipTraceSettingsForm canEdit={state.kind === "active" && state.viewer.role === "admin"} />
      </div>
    </HydrateClient>
  );
}
