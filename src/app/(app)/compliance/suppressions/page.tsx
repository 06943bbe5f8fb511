import type { Metadata } from "next";
import { OptOutsWorkspace } from "@/components/compliance/opt-outs-workspace";
import { OPT_OUTS_PAGE_SIZE } from "@/components/compliance/opt-outs-filters";
import { PageHeader } from "@/components/ui/card";
import { getViewerState } from "@/server/auth/session";
import { api, HydrateClient } from "@/trpc/server";

export const metadata: Metadata = { title: "Opt-outs" };

export default async function OptOutsPage() {
  const state = await getViewerState();
  if (state.kind !== "active") return null;
  // Awaited: the workspace reads the list with useInfiniteQuery (not suspense), so server and
  // client HTML both start from the first page.
  await api.suppressions.list.prefetchInfinite({ filters: { state: "live" }, limit: OPT_OUTS_PAGE_SIZE });
  return (
    <HydrateClient>
      <PageHeader
        title="Opt-outs"
        description="Numbers LeadFlow never texts. STOP replies, refusals and carrier opt-outs (Twilio 21610) land here by themselves; add a number someone asked you by phone or letter, import a list, or lift an opt-out when the person opts back in."
      />
      <OptOutsWorkspace role={state.viewer.role} />
    </HydrateClient>
  );
}
