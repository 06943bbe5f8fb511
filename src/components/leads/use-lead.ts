"use client";

import { api } from "@/trpc/react";
import type { LeadDetail } from "./labels";

/**
 * Cache plumbing shared by the lead page's editors: apply a change to the cached lead at once,
 * roll it back if the server refuses, take the server's answer (which includes the new activity)
 * when it arrives, and mark the lists stale.
 */
export function useLeadCache(id: string) {
  const utils = api.useUtils();
  return {
    async optimistic(change: (lead: LeadDetail) => LeadDetail) {
      await utils.leads.get.cancel({ id });
      const previous = utils.leads.get.getData({ id });
      if (previous) utils.leads.get.setData({ id }, change(previous));
      return { previous };
    },
    rollback(context: { previous?: LeadDetail } | undefined) {
      if (context?.previous) utils.leads.get.setData({ id }, context.previous);
    },
    accept(lead: LeadDetail) {
      utils.leads.get.setData({ id }, lead);
    },
    refresh() {
      return utils.leads.get.invalidate({ id });
    },
    listsChanged() {
      void utils.leads.list.invalidate();
      void utils.leads.counts.invalidate();
    },
  };
}
