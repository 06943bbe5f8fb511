import type { RouterInputs, RouterOutputs } from "@/trpc/react";

export const OPT_OUTS_PAGE_SIZE = 50;

export type OptOutFilters = NonNullable<RouterInputs["suppressions"]["list"]["filters"]>;
export type OptOutRow = RouterOutputs["suppressions"]["list"]["items"][number];
export type OptOutReason = OptOutRow["reason"];

export const REASON_LABELS: Record<OptOutReason, string> = {
  keyword: "STOP reply",
  refusal: "Refusal in a reply",
  provider_21610: "Carrier opt-out (21610)",
  manual: "Added by hand",
  import: "Imported",
  wrong_number: "Wrong number",
};

export const STATE_LABELS = { live: "Opted out now", lifted: "Lifted (opted back in)", all: "All" } as const;

/** The export link for what the list shows. */
export function exportUrl(filters: OptOutFilters): string {
  const params = new URLSearchParams({ filters: JSON.stringify(filters) });
  return `/api/compliance/suppressions/export?${params.toString()}`;
}

/** An uploaded file's text: UTF-8, else Windows-1252 (what Excel's US "CSV" writes). */
export function decodeCsvBytes(bytes: ArrayBuffer): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("windows-1252").decode(bytes);
  }
}

/** What the server takes in one request (the tRPC body is 1 MiB; the JSON around the text needs room). */
export const MAX_IMPORT_FILE_BYTES = 900_000;
