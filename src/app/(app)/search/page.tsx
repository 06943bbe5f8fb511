import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Suspense } from "react";
import { SearchWorkspace } from "@/components/search/search-workspace";
import { PageHeader } from "@/components/ui/card";
import { getViewerState } from "@/server/auth/session";
import { api, HydrateClient } from "@/trpc/server";
import { RoleRequired } from "@/components/shared/role-required";

export const metadata: Metadata = { title: "Property search" };

export default async function SearchPage() {
  const state = await getViewerState();
  if (state.kind !== "active") redirect("/");
  // Said, not a silent redirect: the member learns which role the page needs.
  if (state.viewer.role === "user") return <RoleRequired page="Property search" needs="manager" role={state.viewer.role} />;
  void api.search.context.prefetch();
  return (
    <HydrateClient>
      <PageHeader title="Property search" description="Find off-market properties by ZIP, city, county or a radius on the map. Identical searches the same day are free: they come from cache." />
      <Suspense>
        <SearchWorkspace />
      </Suspense>
    </HydrateClient>
  );
}
