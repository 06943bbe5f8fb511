"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

export default function AppError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="mx-auto max-w-xl space-y-4 py-12">
      <h1 className="text-xl font-semibold">This page could not be shown</h1>
      <Alert tone="error">
        {error.message || "Something went wrong on our side."}
        {error.digest && <span className="mt-1 block text-xs opacity-75">Reference: {error.digest}</span>}
      </Alert>
      <Button onClick={reset}>Try again</Button>
    </div>
  );
}
