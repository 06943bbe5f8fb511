import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { QueryBoundary } from "@/components/shared/query-boundary";
import { LeadView, LeadViewSkeleton } from "@/components/leads/lead-view";
import { getViewerState } from "@/server/auth/session";
import { api, HydrateClient } from "@/trpc/server";

type Props = { params: Promise<{ id: string }> };

/** The lead, or Next's 404 page when it doesn't exist in this organization (or the id is malformed). */
const getLeadOr404 = cache(async (id: string) => {
  try {
    return await api.leads.get({ id });
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) notFound();
    throw error;
  }
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  const lead = await getLeadOr404(id);
  return { title: lead.addressLine1 };
}

export default async function LeadPage({ params }: Props) {
  const state = await getViewerState();
  if (state.kind !== "active") return null;
  const { id } = await params;
  await Promise.all([getLeadOr404(id), api.leads.get.prefetch({ id }), api.tags.list.prefetch(), api.leads.assignees.prefetch()]);
  return (
    <HydrateClient>
      <QueryBoundary fallback={<LeadViewSkeleton />}>
        <LeadView id={id} viewer={{ userId: state.viewer.userId, role: state.viewer.role }} />
      </QueryBoundary>
    </HydrateClient>
  );
}
