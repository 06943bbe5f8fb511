"use client";

import Link from "next/link";
import { secondaryLinkClass } from "@/components/shared/link-classes";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { MAX_LEAD_IDS_IN_URL, newCampaignHref } from "./lead-ids-param";

/**
 * The leads list's bulk "Text these leads" (managers): opens the campaign editor with the selected
 * leads as its audience. "All matching" and very large selections go through a saved filter instead.
 */
export function TextLeadsButton({ ids, count }: {
  /** The selected leads, or null when every lead matching the filter is selected. */
  ids: readonly string[] | null;
  count: number;
}) {
  const why =
    count === 0
      ? "Select leads to text them."
      : ids === null
        ? "Every matching lead is selected: save this filter and use it as the campaign's audience."
        : ids.length > MAX_LEAD_IDS_IN_URL
          ? `Up to ${MAX_LEAD_IDS_IN_URL} selected leads: for more, save the filter and use it as the campaign's audience.`
          : null;
  if (why || ids === null) {
    return (
      <Button type="button" variant="secondary" size="sm" className="shrink-0 whitespace-nowrap" disabled title={why ?? undefined}>
        Text these leads
      </Button>
    );
  }
  return (
    <Link href={newCampaignHref(ids)} className={cn(secondaryLinkClass, "whitespace-nowrap")} data-testid="text-these-leads">
      Text {ids.length === 1 ? "this lead" : "these leads"}
    </Link>
  );
}
