"use client";

import { useEffect, useRef, useState } from "react";
import { usePathname } from "next/navigation";
import { AppNav } from "./app-nav";
import { Wordmark } from "./wordmark";

type Role = "admin" | "manager" | "user";

/**
 * The nav on a narrow screen (issue 14 item 13): a menu button in the header opens the same nav
 * as the sidebar in a drawer from the left. A modal <dialog>: the page behind is inert, focus
 * stays in the drawer, Escape or a tap on the backdrop closes it, and focus goes back to the
 * button. Following a link closes it.
 */
export function MobileNav({ role }: { role: Role }) {
  const [open, setOpen] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const pathname = usePathname();

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) {
      element.close();
      button.current?.focus();
    }
  }, [open]);

  // A navigation by any other way (back button, ⌘K) closes it too.
  const [shownFor, setShownFor] = useState(pathname);
  if (shownFor !== pathname) {
    setShownFor(pathname);
    if (open) setOpen(false);
  }

  return (
    <>
      <button
        ref={button}
        type="button"
        className="-ml-2 flex size-10 items-center justify-center rounded-md text-slate-700 hover:bg-slate-100 md:hidden"
        aria-label="Open menu"
        aria-haspopup="dialog"
        aria-expanded={open}
        onClick={() => setOpen(true)}
        data-testid="mobile-nav-button"
      >
        <svg aria-hidden viewBox="0 0 24 24" className="size-6" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round">
          <path d="M4 6h16M4 12h16M4 18h16" />
        </svg>
      </button>
      <dialog
        ref={dialog}
        aria-label="Menu"
        data-testid="mobile-nav"
        onCancel={(event) => {
          event.preventDefault();
          setOpen(false);
        }}
        onClick={(event) => {
          // A click on the backdrop lands on the dialog element itself.
          if (event.target === event.currentTarget) setOpen(false);
        }}
        className="m-0 h-dvh max-h-none w-72 max-w-[85vw] overflow-y-auto bg-white p-0 shadow-xl backdrop:bg-slate-900/40 md:hidden"
      >
        {open && (
          <div className="flex min-h-full flex-col">
            <div className="flex items-center justify-between px-5 py-4">
              <Wordmark />
              <button type="button" className="flex size-10 items-center justify-center rounded-md text-slate-600 hover:bg-slate-100" aria-label="Close menu" onClick={() => setOpen(false)}>
                <svg aria-hidden viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round">
                  <path d="M6 6l12 12M18 6L6 18" />
                </svg>
              </button>
            </div>
            <AppNav role={role} onNavigate={() => setOpen(false)} />
          </div>
        )}
      </dialog>
    </>
  );
}
