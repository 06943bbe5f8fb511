"use client";

import { useCallback } from "react";
import { api } from "@/trpc/react";

/** After a task changes: its lead's tasks, the lead (timeline, next task), my tasks, the nav badge and the lists refetch. */
export function useTaskChanges(leadId?: string) {
  const utils = api.useUtils();
  return useCallback(() => {
    if (leadId) {
      void utils.tasks.forLead.invalidate({ leadId });
      void utils.leads.get.invalidate({ id: leadId });
    } else {
      void utils.tasks.forLead.invalidate();
      void utils.leads.get.invalidate();
    }
    void utils.tasks.mine.invalidate();
    void utils.tasks.myCount.invalidate();
    void utils.leads.list.invalidate();
  }, [leadId, utils]);
}
