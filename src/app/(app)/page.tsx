import type { Metadata } from "next";
import Link from "next/link";
import { Card, PageHeader } from "@/components/ui/card";
import { getViewerState } from "@/server/auth/session";

export const metadata: Metadata = { title: "Home" };

export default async function HomePage() {
  const state = await getViewerState();
  if (state.kind !== "active") return null;
  const { viewer } = state;
  return (
    <>
      <PageHeader title={`Welcome${viewer.name ? `, ${viewer.name.split(" ")[0]}` : ""}`} description={`You are signed in to ${viewer.orgName} as ${viewer.role}.`} />
      <div className="grid gap-4 md:grid-cols-2">
        <Card title="Your organization" description="Name and time zone used for daily budgets and reports.">
          <Link href="/settings/organization" className="text-sm font-medium text-brand-600 hover:underline">
            Organization settings →
          </Link>
        </Card>
        {viewer.role === "admin" && (
          <Card title="Your team" description="Invite teammates, set their roles, deactivate access.">
            <Link href="/settings/users" className="text-sm font-medium text-brand-600 hover:underline">
              Manage users →
            </Link>
          </Card>
        )}
      </div>
    </>
  );
}
