import { redirect } from "next/navigation";
import { AppNav } from "@/components/shell/app-nav";
import { UserMenu } from "@/components/shell/user-menu";
import { GlobalSearch } from "@/components/shell/global-search";
import { MobileNav } from "@/components/shell/mobile-nav";
import { LiveEventsProvider } from "@/components/shared/live-events";
import { NotificationBell } from "@/components/notifications/notification-bell";
import { getViewerState } from "@/server/auth/session";
import { Wordmark } from "@/components/shell/wordmark";

export const dynamic = "force-dynamic";

export default async function SignedInLayout({ children }: { children: React.ReactNode }) {
  const state = await getViewerState();
  if (state.kind === "signed-out") redirect("/sign-in");
  if (state.kind !== "active") redirect(`/sign-in?notice=${state.kind}`);
  const { viewer } = state;
  return (
    <LiveEventsProvider>
      <div className="flex min-h-screen">
        <aside className="hidden w-60 shrink-0 border-r border-slate-200 bg-white md:flex md:flex-col">
          <Wordmark className="px-5 py-5" />
          <AppNav role={viewer.role} />
        </aside>
        <div className="flex min-w-0 flex-1 flex-col">
          {/* Narrow screens: the nav is a drawer opened from the header (issue 14 item 13). */}
          <header className="flex items-center justify-between gap-2 border-b border-slate-200 bg-white px-3 py-2 md:px-6 md:py-3">
            <div className="flex min-w-0 items-center gap-1">
              <MobileNav role={viewer.role} />
              <span className="truncate text-sm font-medium text-slate-600" data-testid="org-name">
                {viewer.orgName}
              </span>
            </div>
            <div className="flex shrink-0 items-center gap-2">
              <GlobalSearch role={viewer.role} />
              <NotificationBell />
              <UserMenu name={viewer.name} email={viewer.email} role={viewer.role} />
            </div>
          </header>
          <main className="mx-auto w-full min-w-0 max-w-[1600px] flex-1 px-4 py-6 md:px-6 md:py-8">{children}</main>
        </div>
      </div>
    </LiveEventsProvider>
  );
}
