import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { UsersManager } from "@/components/settings/users-manager";
import { PageHeader } from "@/components/ui/card";
import { getViewerState } from "@/server/auth/session";
import { api, HydrateClient } from "@/trpc/server";
import { RoleRequired } from "@/components/shared/role-required";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const state = await getViewerState();
  if (state.kind !== "active") redirect("/");
  // Said, not a silent redirect: the member learns which role the page needs.
  if (state.viewer.role !== "admin") return <RoleRequired page="Users" needs="admin" role={state.viewer.role} />;
  void api.users.list.prefetch();
  return (
    <HydrateClient>
      <PageHeader title="Users" description="Invite teammates, set their roles and deactivate access. Changes apply on the user's next request." />
      <UsersManager currentUserId={state.viewer.userId} />
    </HydrateClient>
  );
}
