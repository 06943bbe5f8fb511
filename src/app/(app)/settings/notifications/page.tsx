import type { Metadata } from "next";
import { NotificationPreferences } from "@/components/notifications/notification-preferences";
import { QueryBoundary } from "@/components/shared/query-boundary";
import { PageHeader, Skeleton } from "@/components/ui/card";
import { api, HydrateClient } from "@/trpc/server";

export const metadata: Metadata = { title: "Notifications" };

export default async function NotificationSettingsPage() {
  void api.notifications.preferences.prefetch();
  return (
    <HydrateClient>
      <PageHeader title="Notifications" description="What LeadFlow tells you about in the bell at the top of every page." />
      <QueryBoundary fallback={<Skeleton className="h-80" />}>
        <NotificationPreferences />
      </QueryBoundary>
    </HydrateClient>
  );
}
