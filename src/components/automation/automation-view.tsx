"use client";

import { Skeleton } from "@/components/ui/card";
import { RulesPanel } from "./rules-panel";
import { SequencesPanel } from "./sequences-panel";

/** The /automation page's body: auto-responders, then follow-up sequences. */
export function AutomationView() {
  return (
    <div className="space-y-8">
      <RulesPanel />
      <SequencesPanel />
    </div>
  );
}

export function AutomationSkeleton() {
  return (
    <div className="space-y-8" aria-busy="true" aria-label="Loading automation">
      <Skeleton className="h-48 w-full" />
      <Skeleton className="h-48 w-full" />
    </div>
  );
}
