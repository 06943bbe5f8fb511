import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { QueryBoundary } from "@/components/shared/query-boundary";
import { TextingSettings, TextingSettingsSkeleton } from "@/components/texting/texting-settings";
import { PageHeader } from "@/components/ui/card";
import { getViewerState } from "@/server/auth/session";
import { api, HydrateClient } from "@/trpc/server";
import { RoleRequired } from "@/components/shared/role-required";

export const metadata: Metadata = { title: "Texting" };

export default async function TextingSettingsPage() {
  const state = await getViewerState();
  // Managers read (the page shows them everything read-only); admins edit.
  if (state.kind !== "active") redirect("/");
  // Said, not a silent redirect: the member learns which role the page needs.
  if (state.viewer.role === "user") return <RoleRequired page="Texting" needs="manager" role={state.viewer.role} />;
  void api.smsSettings.get.prefetch();
  return (
    <HydrateClient>
      <PageHeader
        title="Texting"
        description="Who your texts come from, what LeadFlow answers to HELP, STOP and START, and the rules that read inbound replies."
      />
      <QueryBoundary fallback={<TextingSettingsSkeleton />}>
        <TextingSettings />
      </QueryBoundary>
    </HydrateClient>
  );
}
