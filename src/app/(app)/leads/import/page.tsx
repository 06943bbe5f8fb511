import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { ImportWorkspace } from "@/components/imports/workspace";
import { secondaryLinkClass } from "@/components/shared/link-classes";
import { PageHeader } from "@/components/ui/card";
import { getViewerState } from "@/server/auth/session";
import { api, HydrateClient } from "@/trpc/server";
import { RoleRequired } from "@/components/shared/role-required";

export const metadata: Metadata = { title: "Import leads" };

/** A job id as the URL gives it, or null (ids are short; anything else is not one). */
function jobIdOf(value: string | string[] | undefined): string | null {
  const id = Array.isArray(value) ? value[0] : value;
  return id && id.length <= 64 ? id : null;
}

export default async function ImportLeadsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const state = await getViewerState();
  if (state.kind !== "active") redirect("/leads");
  // Said, not a silent redirect: the member learns which role the page needs.
  if (state.viewer.role === "user") return <RoleRequired page="Import leads" needs="manager" role={state.viewer.role} back={{ href: "/leads", label: "Back to Leads" }} />;
  const jobId = jobIdOf((await searchParams).job);
  // Awaited: the workspace reads these with useQuery, so server and client HTML start from the same data.
  await Promise.all([api.imports.list.prefetch(), jobId ? api.imports.get.prefetch({ id: jobId }) : null]);

  return (
    <HydrateClient>
      <PageHeader
        title="Import leads"
        description="Bring in a CSV list: match its columns, check the preview, then import."
        actions={
          <Link href="/leads" className={secondaryLinkClass}>
            Back to leads
          </Link>
        }
      />
      <ImportWorkspace jobId={jobId} />
    </HydrateClient>
  );
}
