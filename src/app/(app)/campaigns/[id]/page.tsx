import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { CampaignView, CampaignViewSkeleton } from "@/components/campaigns/campaign-view";
import { QueryBoundary } from "@/components/shared/query-boundary";
import { getViewerState } from "@/server/auth/session";
import { api, HydrateClient } from "@/trpc/server";

type Props = { params: Promise<{ id: string }> };

/** The campaign, or Next's 404 page when it doesn't exist in this organization (or the id is malformed). */
const getCampaignOr404 = cache(async (id: string) => {
  try {
    return await api.campaigns.get({ id });
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) notFound();
    throw error;
  }
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  const campaign = await getCampaignOr404(id);
  return { title: campaign.name };
}

export default async function CampaignPage({ params }: Props) {
  const state = await getViewerState();
  if (state.kind !== "active") return null;
  const { id } = await params;
  const canManage = state.viewer.role !== "user";
  const campaign = await getCampaignOr404(id);
  await Promise.all([
    api.campaigns.get.prefetch({ id }),
    // The draft editor reads the senders (managers) and saved filters.
    ...(canManage && campaign.status === "draft" ? [api.smsSettings.get.prefetch(), api.savedFilters.list.prefetch()] : []),
  ]);
  return (
    <HydrateClient>
      <QueryBoundary fallback={<CampaignViewSkeleton />}>
        <CampaignView id={id} canManage={canManage} />
      </QueryBoundary>
    </HydrateClient>
  );
}
