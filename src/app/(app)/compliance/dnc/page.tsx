import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { DNC_PAGE_SIZE } from "@/components/compliance/dnc-labels";
import { DncWorkspace } from "@/components/compliance/dnc-workspace";
import { PageHeader } from "@/components/ui/card";
import { getViewerState } from "@/server/auth/session";
import { api, HydrateClient } from "@/trpc/server";
import { RoleRequired } from "@/components/shared/role-required";

export const metadata: Metadata = { title: "Do not contact" };

export default async function DncPage() {
  const state = await getViewerState();
  if (state.kind !== "active") redirect("/");
  // Said, not a silent redirect: the member learns which role the page needs.
  if (state.viewer.role === "user") return <RoleRequired page="Do not contact" needs="manager" role={state.viewer.role} />;
  // Awaited: the lists read with useQuery / useInfiniteQuery (not suspense), so server and client HTML start from the same data.
  await Promise.all([api.dnc.list.prefetchInfinite({ filters: { state: "live" }, limit: DNC_PAGE_SIZE }), api.dnc.registry.prefetch()]);
  return (
    <HydrateClient>
      <PageHeader
        title="Do not contact"
        description="Every text is checked against your internal do-not-contact list, the National DNC Registry extracts you upload, and the DNC and TCPA-litigator flags skip tracing returned. Each check is kept as evidence."
      />
      <DncWorkspace role={state.viewer.role} />
    </HydrateClient>
  );
}
