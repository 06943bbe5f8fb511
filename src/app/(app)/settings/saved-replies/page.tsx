import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SavedRepliesManager, SavedRepliesSkeleton } from "@/components/saved-replies/saved-replies-manager";
import { QueryBoundary } from "@/components/shared/query-boundary";
import { PageHeader } from "@/components/ui/card";
import { getViewerState } from "@/server/auth/session";
import { api, HydrateClient } from "@/trpc/server";

export const metadata: Metadata = { title: "Saved replies" };

export default async function SavedRepliesPage() {
  const state = await getViewerState();
  // Every member reads the library (the inbox reply box uses it); managers and admins edit it.
  if (state.kind !== "active") redirect("/");
  void api.savedReplies.list.prefetch();
  return (
    <HydrateClient>
      <PageHeader
        title="Saved replies"
        description="Texts your team sends often, shared across the organization. Merge fields fill in the lead's name and property when a reply is inserted in the inbox."
      />
      <QueryBoundary fallback={<SavedRepliesSkeleton />}>
        <SavedRepliesManager />
      </QueryBoundary>
    </HydrateClient>
  );
}
