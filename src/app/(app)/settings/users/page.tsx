import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { UsersManager } from "@/components/settings/users-manager";
import { PageHeader } from "@/components/ui/card";
import { getViewerState } from "@/server/auth/session";
import { api, HydrateClient } from "@/trpc/server";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const state = await getViewerState();
  if (state.kind !== "active" || state.viewer.role !== "admin") redirect("/");
  void api.users.list.prefetch();
  return (
    <HydrateClient>
      <PageHeader title="Users" description="Invite teammates, set their roles and deactivate access. Changes apply on the user's next request." />
      <UsersManager currentUserId={state.viewer.userId} />
    </HydrateClient>
  );
}
