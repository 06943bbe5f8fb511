import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { LeadsTableSkeleton } from "@/components/leads/leads-table";
import { LeadsWorkspace } from "@/components/leads/leads-workspace";
import { primaryLinkClass, secondaryLinkClass } from "@/components/shared/link-classes";
import { countFiltersOf, filtersFromListState, LIST_PAGE_SIZE, listStateFromParams, sortFromListState } from "@/components/leads/list-url";
import { PageHeader } from "@/components/ui/card";
import { getViewerState } from "@/server/auth/session";
import { api, HydrateClient } from "@/trpc/server";

export const metadata: Metadata = { title: "Leads" };

export default async function LeadsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewerState = await getViewerState();
  if (viewerState.kind !== "active") return null;
  const { role } = viewerState.viewer;

  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(await searchParams)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) params.append(key, v);
  }
  const state = listStateFromParams(params);
  const filters = filtersFromListState(state);
  // Not awaited: the counts stream into the status chips' Suspense boundary (status-chips.tsx).
  void api.leads.counts.prefetch({ filters: countFiltersOf(filters) });
  // Awaited: the workspace reads these with useQuery (not suspense), so server and client HTML
  // must both start from resolved data.
  await Promise.all([
    api.leads.list.prefetchInfinite({ filters, sort: sortFromListState(state), limit: LIST_PAGE_SIZE }),
    api.tags.list.prefetch(),
    api.leads.assignees.prefetch(),
    api.preferences.leadColumns.prefetch(),
  ]);

  return (
    <HydrateClient>
      <PageHeader
        title="Leads"
        description="Every property and owner you are working. Filter, sort, select and act on many at once."
        actions={
          role !== "user" && (
            <div className="flex gap-2">
              <Link href="/leads/import" className={secondaryLinkClass}>
                Import CSV
              </Link>
              <Link href="/leads/new" className={primaryLinkClass}>
                New lead
              </Link>
            </div>
          )
        }
      />
      <Suspense fallback={<LeadsTableSkeleton />}>
        <LeadsWorkspace role={role} />
      </Suspense>
    </HydrateClient>
  );
}
