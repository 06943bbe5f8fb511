import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { WebhooksManager } from "@/components/webhooks/webhooks-manager";
import { PageHeader } from "@/components/ui/card";
import { RoleRequired } from "@/components/shared/role-required";
import { getViewerState } from "@/server/auth/session";
import { api, HydrateClient } from "@/trpc/server";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage() {
  const state = await getViewerState();
  if (state.kind !== "active") redirect("/");
  if (state.viewer.role !== "admin") return <RoleRequired page="Webhooks" needs="admin" role={state.viewer.role} />;
  void api.webhooks.list.prefetch();
  void api.webhooks.deliveries.prefetch({ limit: 50 });
  return (
    <HydrateClient>
      <PageHeader
        title="Webhooks"
        description="Send this organization's events to your own systems (Zapier, a CRM, a script) as they happen, signed per Standard Webhooks."
      />
      <WebhooksManager />
    </HydrateClient>
  );
}
