"use client";

import { api } from "@/trpc/react";
import { ImportNumbersCard } from "./import-opt-outs";

/** Managers: a CSV of numbers added to the internal do-not-contact list (the stated source is each one's reason). */
export function ImportDnc({ onImported }: { onImported: () => void }) {
  const importList = api.dnc.import.useMutation({ onSuccess: onImported });
  const result = importList.data ? { ...importList.data, already: importList.data.alreadyListed } : undefined;
  return (
    <ImportNumbersCard
      mutation={importList}
      result={result}
      description="A CSV with a phone column (notes are kept with each number) into the internal do-not-contact list. Importing the same file twice adds nothing."
      alreadyLabel="already on the list"
      sourceHint="Recorded as the reason of every number added."
      sourcePlaceholder="Do-not-call list exported from our dialer, Nov 2026"
    />
  );
}
