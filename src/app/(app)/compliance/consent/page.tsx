import type { Metadata } from "next";
import { CONSENT_PAGE_SIZE } from "@/components/compliance/consent-labels";
import { ConsentWorkspace } from "@/components/compliance/consent-workspace";
import { PageHeader } from "@/components/ui/card";
import { getViewerState } from "@/server/auth/session";
import { api, HydrateClient } from "@/trpc/server";

export const metadata: Metadata = { title: "Consent log" };

export default async function ConsentPage() {
  const state = await getViewerState();
  if (state.kind !== "active") return null;
  // Awaited: the workspace reads these with useQuery / useInfiniteQuery (not suspense), so server
  // and client HTML both start from the data.
  await Promise.all([api.consent.settings.prefetch(), api.consent.list.prefetchInfinite({ filters: {}, limit: CONSENT_PAGE_SIZE })]);
  return (
    <HydrateClient>
      <PageHeader
        title="Consent log"
        description="Who agreed to receive texts, who revoked it, when and on what evidence — the record of consent a lawyer will ask for (TCPA claims can be brought for 4 years)."
      />
      <ConsentWorkspace role={state.viewer.role} />
    </HydrateClient>
  );
}
