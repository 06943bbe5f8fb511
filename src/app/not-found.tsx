import Link from "next/link";
import { Wordmark } from "@/components/shell/wordmark";

/** Any address that matches no page (a missing lead or campaign has its own page inside the app shell). */
export default function NotFound() {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-4 px-4 text-center">
      <Wordmark size="lg" />
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="max-w-md text-sm text-slate-600">There is no page at this address. It may have been mistyped, or the link may be out of date.</p>
      <Link href="/" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">
        Go to Home
      </Link>
    </main>
  );
}
