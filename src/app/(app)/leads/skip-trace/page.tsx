import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { secondaryLinkClass } from "@/components/shared/link-classes";
import { SkipTraceJobsList, SkipTraceJobView } from "@/components/skip-trace/skip-trace-job";
import { PageHeader } from "@/components/ui/card";
import { getViewerState } from "@/server/auth/session";
import { api, HydrateClient } from "@/trpc/server";
import { RoleRequired } from "@/components/shared/role-required";

export const metadata: Metadata = { title: "Bulk skip trace" };

/** A job id as the URL gives it, or null (ids are short; anything else is not one). */
function jobIdOf(value: string | string[] | undefined): string | null {
  const id = Array.isArray(value) ? value[0] : value;
  return id && id.length <= 64 ? id : null;
}

export default async function BulkSkipTracePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const state = await getViewerState();
  if (state.kind !== "active") redirect("/leads");
  // Said, not a silent redirect: the member learns which role the page needs.
  if (state.viewer.role === "user") return <RoleRequired page="Bulk skip trace" needs="manager" role={state.viewer.role} back={{ href: "/leads", label: "Back to Leads" }} />;
  const jobId = jobIdOf((await searchParams).job);
  // Awaited: the components read these with useQuery, so server and client HTML start from the same data.
  await Promise.all([api.skipTrace.jobs.prefetch(), jobId ? api.skipTrace.job.prefetch({ id: jobId }) : null]);

  return (
    <HydrateClient>
      <PageHeader
        title="Bulk skip trace"
        description="Owner phones and emails for many leads at once, billed per match."
        actions={
          <Link href="/leads" className={secondaryLinkClass}>
            Back to leads
          </Link>
        }
      />
      <div className="space-y-6">
        {jobId && <SkipTraceJobView key={jobId} id={jobId} />}
        <SkipTraceJobsList currentId={jobId} />
      </div>
    </HydrateClient>
  );
}
