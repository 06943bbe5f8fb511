import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { NewLeadForm } from "@/components/leads/new-lead-form";
import { PageHeader } from "@/components/ui/card";
import { getViewerState } from "@/server/auth/session";
import { RoleRequired } from "@/components/shared/role-required";

export const metadata: Metadata = { title: "New lead" };

export default async function NewLeadPage() {
  const state = await getViewerState();
  if (state.kind !== "active") redirect("/leads");
  // Said, not a silent redirect: the member learns which role the page needs.
  if (state.viewer.role === "user") return <RoleRequired page="New lead" needs="manager" role={state.viewer.role} back={{ href: "/leads", label: "Back to Leads" }} />;
  return (
    <>
      <PageHeader title="New lead" description="Add a property and its owner by hand. It is scored as soon as it is saved." />
      <NewLeadForm />
    </>
  );
}
