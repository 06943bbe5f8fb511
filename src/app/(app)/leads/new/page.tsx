import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { NewLeadForm } from "@/components/leads/new-lead-form";
import { PageHeader } from "@/components/ui/card";
import { getViewerState } from "@/server/auth/session";

export const metadata: Metadata = { title: "New lead" };

export default async function NewLeadPage() {
  const state = await getViewerState();
  if (state.kind !== "active" || state.viewer.role === "user") redirect("/leads");
  return (
    <>
      <PageHeader title="New lead" description="Add a property and its owner by hand. It is scored as soon as it is saved." />
      <NewLeadForm />
    </>
  );
}
