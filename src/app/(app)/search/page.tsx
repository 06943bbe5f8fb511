import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Suspense } from "react";
import { SearchWorkspace } from "@/components/search/search-workspace";
import { PageHeader } from "@/components/ui/card";
import { getViewerState } from "@/server/auth/session";
import { api, HydrateClient } from "@/trpc/server";

export const metadata: Metadata = { title: "Property search" };

export default async function SearchPage() {
  const state = await getViewerState();
  if (state.kind !== "active" || state.viewer.role === "user") redirect("/");
  void api.search.context.prefetch();
  return (
    <HydrateClient>
      <PageHeader title="Property search" description="Find off-market properties by ZIP, city or county. Identical searches the same day are free: they come from cache." />
      <Suspense>
        <SearchWorkspace />
      </Suspense>
    </HydrateClient>
  );
}
