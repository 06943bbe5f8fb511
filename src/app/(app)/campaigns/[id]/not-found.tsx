import Link from "next/link";

export default function CampaignNotFound() {
  return (
    <div className="mx-auto max-w-xl space-y-3 py-12 text-center">
      <h1 className="text-xl font-semibold text-slate-900">Campaign not found</h1>
      <p className="text-sm text-slate-500">It may have been deleted, or the link belongs to another organization.</p>
      <Link href="/campaigns" className="inline-block text-sm font-medium text-brand-700 hover:underline">
        ← Back to all campaigns
      </Link>
    </div>
  );
}
