"use client";

import { secondaryLinkClass } from "@/components/shared/link-classes";
import { api } from "@/trpc/react";
import { DncCheckBox } from "./dnc-check-box";
import { ImportDnc } from "./dnc-import";
import { DncInternalList } from "./dnc-internal-list";
import { DNC_CHECKS_EXPORT_URL } from "./dnc-labels";
import { DncRegistryCard, RegistryFreshnessBanner } from "./dnc-registry-card";

/** /compliance/dnc: freshness first, then check a number, the internal list and the registry. Managers read, add and import; admins remove and upload. */
export function DncWorkspace({ role }: { role: "admin" | "manager" }) {
  const registry = api.dnc.registry.useQuery();
  const utils = api.useUtils();
  return (
    <div className="space-y-6">
      {registry.data && <RegistryFreshnessBanner freshness={registry.data.freshness} />}
      <div className="grid gap-6 lg:grid-cols-2">
        <div className="space-y-2">
          <DncCheckBox />
          <p className="text-sm">
            <a href={DNC_CHECKS_EXPORT_URL} className={secondaryLinkClass} data-testid="dnc-checks-export" download>
              Export every check (evidence CSV)
            </a>
          </p>
        </div>
        <ImportDnc onImported={() => void utils.dnc.list.invalidate()} />
      </div>
      <DncInternalList canRemove={role === "admin"} />
      <DncRegistryCard canUpload={role === "admin"} />
    </div>
  );
}
