import Link from "next/link";

export default function LeadNotFound() {
  return (
    <div className="mx-auto max-w-xl space-y-3 py-12 text-center">
      <h1 className="text-xl font-semibold text-slate-900">Lead not found</h1>
      <p className="text-sm text-slate-500">It may have been removed, or the link belongs to another organization.</p>
      <Link href="/leads" className="inline-block text-sm font-medium text-brand-600 hover:underline">
        ← Back to all leads
      </Link>
    </div>
  );
}
