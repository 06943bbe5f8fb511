import type { Metadata } from "next";
import Link from "next/link";
import { CampaignsList } from "@/components/campaigns/campaigns-list";
import { primaryLinkClass } from "@/components/shared/link-classes";
import { PageHeader } from "@/components/ui/card";
import { getViewerState } from "@/server/auth/session";
import { api, HydrateClient } from "@/trpc/server";

export const metadata: Metadata = { title: "Campaigns" };

export default async function CampaignsPage() {
  const state = await getViewerState();
  if (state.kind !== "active") return null;
  const canManage = state.viewer.role !== "user";
  // Awaited: the list reads these with useQuery (not suspense), so server and client HTML start from the same data.
  await Promise.all([api.campaigns.list.prefetch(), api.account.me.prefetch()]);
  return (
    <HydrateClient>
      <PageHeader
        title="Campaigns"
        description="Text many leads at once: every recipient is checked before launch and again right before their text goes out."
        actions={
          canManage && (
            <Link href="/campaigns/new" className={primaryLinkClass}>
              New campaign
            </Link>
          )
        }
      />
      <CampaignsList canManage={canManage} />
    </HydrateClient>
  );
}
