import type { RouterOutputs } from "@/trpc/react";

type Email = RouterOutputs["account"]["devOutbox"]["emails"][number];

const STATUS: Record<Email["status"], { label: string; tone: string }> = {
  outbox: { label: "In the outbox (not sent)", tone: "bg-amber-50 text-amber-800" },
  sent: { label: "Sent", tone: "bg-green-50 text-green-800" },
  failed: { label: "Failed", tone: "bg-red-50 text-red-800" },
};

/** Links in an email's text, clickable; the rest as written. */
function TextWithLinks({ text }: { text: string }) {
  return (
    <>
      {text.split(/(https?:\/\/\S+)/).map((part, index) =>
        /^https?:\/\//.test(part) ? (
          <a key={index} href={part} className="break-all font-medium text-brand-600 hover:underline">
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </>
  );
}

export function EmailList({ emails }: { emails: Email[] }) {
  if (emails.length === 0) return <p className="text-sm text-slate-500">No emails yet.</p>;
  return (
    <ul className="space-y-3" aria-label="Emails">
      {emails.map((email) => (
        <li key={email.id} className="rounded-md border border-slate-200 bg-white p-3 text-sm" data-testid="email">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <p className="font-medium">{email.subject}</p>
            <span className={`rounded px-1.5 py-0.5 text-xs ${STATUS[email.status].tone}`}>{STATUS[email.status].label}</span>
          </div>
          <p className="text-xs text-slate-500">
            To {email.to} · {email.createdAt.toISOString().replace("T", " ").slice(0, 16)} UTC
            {email.error ? ` · ${email.error}` : ""}
          </p>
          <p className="mt-2 whitespace-pre-wrap text-slate-700">
            <TextWithLinks text={email.text} />
          </p>
        </li>
      ))}
    </ul>
  );
}
