import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { DecisionsWorkspace } from "@/components/compliance/decisions-workspace";
import { PageHeader } from "@/components/ui/card";
import { getViewerState } from "@/server/auth/session";
import { RoleRequired } from "@/components/shared/role-required";

export const metadata: Metadata = { title: "Decision log" };

export default async function DecisionLogPage() {
  const state = await getViewerState();
  if (state.kind !== "active") redirect("/");
  // Said, not a silent redirect: the member learns which role the page needs.
  if (state.viewer.role === "user") return <RoleRequired page="Decision log" needs="manager" role={state.viewer.role} />;
  return (
    <>
      <PageHeader
        title="Decision log"
        description="Why each text went out, waited or did not go: the audit trail of every send decision, with the rule that decided and where the rule comes from."
      />
      <DecisionsWorkspace />
    </>
  );
}
