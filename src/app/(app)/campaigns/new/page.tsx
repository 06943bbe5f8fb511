import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { CampaignForm } from "@/components/campaigns/campaign-form";
import { parseLeadIdsParam } from "@/components/campaigns/lead-ids-param";
import { PageHeader } from "@/components/ui/card";
import { getViewerState } from "@/server/auth/session";
import { api, HydrateClient } from "@/trpc/server";
import { RoleRequired } from "@/components/shared/role-required";

export const metadata: Metadata = { title: "New campaign" };

export default async function NewCampaignPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const state = await getViewerState();
  if (state.kind !== "active") redirect("/campaigns");
  // Said, not a silent redirect: the member learns which role the page needs.
  if (state.viewer.role === "user") return <RoleRequired page="New campaign" needs="manager" role={state.viewer.role} back={{ href: "/campaigns", label: "Back to Campaigns" }} />;
  const leadIds = parseLeadIdsParam((await searchParams).leadIds);
  const [me] = await Promise.all([api.account.me(), api.smsSettings.get.prefetch(), api.savedFilters.list.prefetch()]);
  return (
    <HydrateClient>
      <PageHeader title="New campaign" description="Write the message, pick who gets it and how fast. You run the pre-flight and launch from the campaign's page." />
      <CampaignForm zone={me.organization.timeZone} initialLeadIds={leadIds} />
    </HydrateClient>
  );
}
