import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { RulesWorkspace } from "@/components/compliance/rules-workspace";
import { PageHeader } from "@/components/ui/card";
import { getViewerState } from "@/server/auth/session";
import { RoleRequired } from "@/components/shared/role-required";

export const metadata: Metadata = { title: "Sending rules" };

export default async function ComplianceRulesPage() {
  const state = await getViewerState();
  if (state.kind !== "active") redirect("/");
  // Said, not a silent redirect: the member learns which role the page needs.
  if (state.viewer.role === "user") return <RoleRequired page="Sending rules" needs="manager" role={state.viewer.role} />;
  return (
    <>
      <PageHeader
        title="Sending rules"
        description="When texts may go out, in each recipient's local time, and how many a number may get in 24 hours. Every text is checked against these rules before it is sent; a text outside them waits for the window."
      />
      <RulesWorkspace />
    </>
  );
}
