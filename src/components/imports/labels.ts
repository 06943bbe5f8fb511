import { formatCount } from "@/components/shared/format";
import type { RouterOutputs } from "@/trpc/react";

export type ImportJob = RouterOutputs["imports"]["list"][number];
export type ImportDetail = RouterOutputs["imports"]["get"];
export type ImportStatus = ImportJob["status"];

export const IMPORT_STATUS_LABELS: Record<ImportStatus, string> = {
  pending: "Queued",
  running: "Importing",
  completed: "Completed",
  failed: "Failed",
  cancelled: "Cancelled",
};

export const IMPORT_STATUS_TONES: Record<ImportStatus, "slate" | "blue" | "green" | "red" | "amber"> = {
  pending: "slate",
  running: "blue",
  completed: "green",
  failed: "red",
  cancelled: "amber",
};

export const isActiveImport = (status: ImportStatus) => status === "pending" || status === "running";


/** "4 created, 1 already in leads, 1 rejected" */
export function importSummary(job: Pick<ImportJob, "createdCount" | "duplicateCount" | "rejectedCount">): string {
  return `${formatCount(job.createdCount)} created, ${formatCount(job.duplicateCount)} already in leads, ${formatCount(job.rejectedCount)} rejected`;
}


/** "12.3 MB", "840 KB" */
export function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  if (bytes >= 1_000) return `${Math.round(bytes / 1_000)} KB`;
  return `${bytes} bytes`;
}

/** The leads this kind of import creates, in the leads list. */
export const IMPORTED_LEADS_HREF = "/leads?source=csv";
