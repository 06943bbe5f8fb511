import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ApiKeysManager } from "@/components/api-keys/api-keys-manager";
import { PageHeader } from "@/components/ui/card";
import { RoleRequired } from "@/components/shared/role-required";
import { getViewerState } from "@/server/auth/session";
import { api, HydrateClient } from "@/trpc/server";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  const state = await getViewerState();
  if (state.kind !== "active") redirect("/");
  // Said, not a silent redirect: the member learns which role the page needs.
  if (state.viewer.role !== "admin") return <RoleRequired page="API keys" needs="admin" role={state.viewer.role} />;
  void api.apiKeys.list.prefetch();
  return (
    <HydrateClient>
      <PageHeader title="API keys" description="Keys for the REST API (/api/v1): integrations read and write this organization's leads, tags, notes, campaigns and opt-outs." />
      <ApiKeysManager />
    </HydrateClient>
  );
}
