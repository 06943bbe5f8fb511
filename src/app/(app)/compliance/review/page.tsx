import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ReplyReviewQueue } from "@/components/messaging/reply-review-queue";
import { PageHeader } from "@/components/ui/card";
import { getViewerState } from "@/server/auth/session";
import { RoleRequired } from "@/components/shared/role-required";

export const metadata: Metadata = { title: "Reply review" };

export default async function ReplyReviewPage() {
  const state = await getViewerState();
  if (state.kind !== "active") redirect("/");
  // Said, not a silent redirect: the member learns which role the page needs.
  if (state.viewer.role === "user") return <RoleRequired page="Reply review" needs="manager" role={state.viewer.role} />;
  return (
    <>
      <PageHeader
        title="Reply review"
        description="Replies the opt-out rules could not decide on their own (“can you stop by?”, “don’t stop”). They did not opt the number out; read each and suppress it or dismiss it."
      />
      <ReplyReviewQueue />
    </>
  );
}
