import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { EmailList } from "@/components/auth/email-list";
import { api } from "@/trpc/server";

export const metadata: Metadata = { title: "Outbox (development)" };

/** `npm run dev` without an SMTP server: what would have been emailed. Absent everywhere else. */
export default async function OutboxPage() {
  const outbox = await api.account.devOutbox({ limit: 50 }).catch(() => null);
  if (!outbox) notFound();
  return (
    <>
      <h1 className="mb-1 text-lg font-semibold">Outbox</h1>
      <p className="mb-6 text-sm text-slate-500">
        No email server is configured (set <code>SMTP_URL</code> to send), so the emails LeadFlow would have sent are kept here. Development only.
      </p>
      <EmailList emails={outbox.emails} />
    </>
  );
}
