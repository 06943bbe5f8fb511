import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuditLogTable } from "@/components/settings/audit-log-table";
import { PageHeader } from "@/components/ui/card";
import { getViewerState } from "@/server/auth/session";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage() {
  const state = await getViewerState();
  if (state.kind !== "active" || state.viewer.role !== "admin") redirect("/");
  return (
    <>
      <PageHeader title="Audit log" description="Every admin action: who, what, when, and the request id to trace it." />
      <AuditLogTable />
    </>
  );
}
