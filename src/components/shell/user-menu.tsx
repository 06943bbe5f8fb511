"use client";

import Link from "next/link";
import { signOut } from "next-auth/react";
import { Badge } from "@/components/ui/card";

export function UserMenu({ name, email, role }: { name: string | null; email: string; role: string }) {
  return (
    <details className="relative">
      <summary
        className="flex cursor-pointer list-none items-center gap-2 rounded-md px-2 py-1 text-sm hover:bg-slate-100"
        aria-label="Account menu"
      >
        <span className="flex size-7 items-center justify-center rounded-full bg-brand-100 text-xs font-semibold text-brand-700">
          {(name ?? email).slice(0, 1).toUpperCase()}
        </span>
        <span className="hidden font-medium sm:inline">{name ?? email}</span>
      </summary>
      <div className="absolute right-0 z-20 mt-2 w-64 rounded-md border border-slate-200 bg-white p-3 shadow-lg">
        <p className="truncate text-sm font-medium">{name ?? email}</p>
        <p className="truncate text-xs text-slate-500">{email}</p>
        <div className="mt-2">
          <Badge tone="blue">{role}</Badge>
        </div>
        <Link href="/settings/profile" className="mt-3 block rounded-md px-3 py-1.5 text-sm hover:bg-slate-50">
          Profile and devices
        </Link>
        <button
          type="button"
          onClick={() => signOut({ callbackUrl: "/sign-in" })}
          className="mt-1 w-full rounded-md border border-slate-200 px-3 py-1.5 text-left text-sm hover:bg-slate-50"
        >
          Sign out
        </button>
      </div>
    </details>
  );
}
