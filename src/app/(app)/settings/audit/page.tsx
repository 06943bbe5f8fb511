import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuditLogTable } from "@/components/settings/audit-log-table";
import { EmailLog } from "@/components/settings/email-log";
import { PageHeader } from "@/components/ui/card";
import { getViewerState } from "@/server/auth/session";
import { RoleRequired } from "@/components/shared/role-required";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage() {
  const state = await getViewerState();
  if (state.kind !== "active") redirect("/");
  // Said, not a silent redirect: the member learns which role the page needs.
  if (state.viewer.role !== "admin") return <RoleRequired page="Audit log" needs="admin" role={state.viewer.role} />;
  return (
    <>
      <PageHeader title="Audit log" description="Every admin action: who, what, when, and the request id to trace it." />
      <div className="space-y-6">
        <AuditLogTable />
        <EmailLog />
      </div>
    </>
  );
}
