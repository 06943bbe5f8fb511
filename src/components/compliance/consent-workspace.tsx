"use client";

import { api } from "@/trpc/react";
import { ConsentLog } from "./consent-log";
import { ConsentSettingCard } from "./consent-setting-card";
import { RecordConsentForm } from "./record-consent-form";

type Role = "admin" | "manager" | "user";

/** The consent page: the organization setting first, then (managers and admins) the form, then the log. */
export function ConsentWorkspace({ role }: { role: Role }) {
  const utils = api.useUtils();
  return (
    <div className="space-y-6">
      <ConsentSettingCard />
      {role !== "user" && <RecordConsentForm onRecorded={() => void utils.consent.list.invalidate()} />}
      <ConsentLog canExport={role !== "user"} />
    </div>
  );
}
