"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { InboxUnreadBadge } from "@/components/inbox/unread-badge";
import { TasksDueBadge } from "@/components/tasks/tasks-due-badge";
import { cn } from "@/components/ui/cn";

type Role = "admin" | "manager" | "user";
type NavItem = { href: string; label: string; minRole?: Role };

const SECTIONS: { title?: string; items: NavItem[] }[] = [
  { items: [{ href: "/", label: "Home" }, { href: "/leads", label: "Leads" }, { href: "/inbox", label: "Inbox" }, { href: "/pipeline", label: "Pipeline" }, { href: "/campaigns", label: "Campaigns" }, { href: "/automation", label: "Automation" }, { href: "/analytics", label: "Analytics", minRole: "manager" }, { href: "/search", label: "Search", minRole: "manager" }] },
  {
    title: "Compliance",
    items: [
      { href: "/compliance/suppressions", label: "Opt-outs" },
      { href: "/compliance/dnc", label: "Do not contact", minRole: "manager" },
      { href: "/compliance/consent", label: "Consent log" },
      { href: "/compliance/review", label: "Reply review", minRole: "manager" },
      { href: "/compliance/rules", label: "Sending rules", minRole: "manager" },
      { href: "/compliance/decisions", label: "Decision log", minRole: "manager" },
    ],
  },
  {
    title: "Settings",
    items: [
      { href: "/settings/profile", label: "Profile" },
      { href: "/settings/notifications", label: "Notifications" },
      { href: "/settings/organization", label: "Organization" },
      { href: "/settings/users", label: "Users", minRole: "admin" },
      { href: "/settings/texting", label: "Texting", minRole: "manager" },
      { href: "/settings/saved-replies", label: "Saved replies" },
      { href: "/settings/budgets", label: "Budgets", minRole: "admin" },
      { href: "/settings/kill-switches", label: "Kill switches", minRole: "admin" },
      { href: "/settings/providers", label: "Provider status", minRole: "admin" },
      { href: "/settings/api-keys", label: "API keys", minRole: "admin" },
      { href: "/settings/webhooks", label: "Webhooks", minRole: "admin" },
      { href: "/settings/audit", label: "Audit log", minRole: "admin" },
    ],
  },
];

const RANK: Record<Role, number> = { user: 0, manager: 1, admin: 2 };

/** Every page of the nav the role may open, with its section: what ⌘K offers as "Pages". */
export function navPages(role: Role): { href: string; label: string; section: string | null }[] {
  return SECTIONS.flatMap((section) =>
    section.items.filter((item) => !item.minRole || RANK[role] >= RANK[item.minRole]).map((item) => ({ href: item.href, label: item.label, section: section.title ?? null })),
  );
}

/** The nav, one column: the sidebar on wide screens, the drawer on narrow ones (mobile-nav.tsx), which passes onNavigate to close itself. */
export function AppNav({ role, onNavigate }: { role: Role; onNavigate?: () => void }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex flex-col gap-4 px-3 pb-4 md:pb-0">
      {SECTIONS.map((section) => {
        const items = section.items.filter((item) => !item.minRole || RANK[role] >= RANK[item.minRole]);
        if (items.length === 0) return null;
        return (
          <div key={section.title ?? "main"} className="flex flex-col gap-1">
            {section.title && <p className="px-2 pb-1 text-xs font-semibold uppercase tracking-wide text-slate-400">{section.title}</p>}
            {items.map((item) => {
              const active = item.href === "/" ? pathname === "/" : pathname.startsWith(item.href);
              return (
                <Link
                  key={item.href}
                  href={item.href}
                  aria-current={active ? "page" : undefined}
                  onClick={onNavigate}
                  className={cn(
                    "flex items-center gap-1.5 whitespace-nowrap rounded-md px-2 py-1.5 text-sm font-medium",
                    active ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900",
                  )}
                >
                  {item.label}
                  {item.href === "/inbox" && <InboxUnreadBadge />}
                  {item.href === "/" && <TasksDueBadge />}
                </Link>
              );
            })}
          </div>
        );
      })}
    </nav>
  );
}
