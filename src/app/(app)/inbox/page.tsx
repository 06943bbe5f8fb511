import type { Metadata } from "next";
import { InboxView } from "@/components/inbox/inbox-view";
import { PageHeader } from "@/components/ui/card";
import { getViewerState } from "@/server/auth/session";

export const metadata: Metadata = { title: "Inbox" };

export default async function InboxPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const state = await getViewerState();
  if (state.kind !== "active") return null;
  const thread = (await searchParams).thread;
  return (
    <>
      <PageHeader title="Inbox" description="Every conversation with your leads' phones, shared by your team. New replies appear as they arrive." />
      <InboxView initialThreadId={typeof thread === "string" && thread.length <= 64 ? thread : null} userId={state.viewer.userId} />
    </>
  );
}
