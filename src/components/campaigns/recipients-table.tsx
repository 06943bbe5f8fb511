"use client";

import { keepPreviousData } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { OUTCOME_LABELS } from "@/components/compliance/decisions-labels";
import { formatPhone } from "@/components/shared/format";
import { secondaryLinkClass } from "@/components/shared/link-classes";
import { PagedList } from "@/components/shared/paged-list";
import { Badge, Card } from "@/components/ui/card";
import { Field, Select } from "@/components/ui/field";
import { formatCents } from "@/lib/money";
import { useLiveRefresh } from "@/components/shared/live-events";
import { api } from "@/trpc/react";
import {
  DECISION_OUTCOME_TONES,
  ERROR_CODE_LABELS,
  MESSAGE_STATUS_LABELS,
  MESSAGE_STATUS_TONES,
  RECIPIENT_STATUS_LABELS,
  RECIPIENT_STATUS_TONES,
  RECIPIENT_STATUSES,
  RECIPIENTS_PAGE_SIZE,
  type RecipientRow,
  type RecipientStatus,
} from "./labels";
import { TimeInZone } from "./time-in-zone";

/** Every recipient of the campaign with its message, its status and every decision taken for it. */
export function RecipientsTable({ campaignId, zone }: { campaignId: string; zone: string }) {
  const [status, setStatus] = useState<RecipientStatus | "">("");
  const list = api.campaigns.recipients.useInfiniteQuery(
    { id: campaignId, limit: RECIPIENTS_PAGE_SIZE, ...(status ? { status } : {}) },
    {
      getNextPageParam: (page) => page.nextCursor,
      initialCursor: 0,
      placeholderData: keepPreviousData,
    },
  );
  // Only the first page moves on its own; later pages are re-read when the list is.
  useLiveRefresh("campaign", () => (list.data?.pages.length ?? 0) <= 1 && list.refetch(), campaignId);
  const rows = list.data?.pages.flatMap((page) => page.items) ?? [];
  const total = list.data?.pages[0]?.total ?? 0;
  return (
    <Card
      title="Recipients"
      description="Each phone texted, its message's delivery and every send decision taken for it, newest first."
      actions={
        <a href={`/api/campaigns/${campaignId}/recipients.csv`} download className={secondaryLinkClass} data-testid="recipients-export">
          Export CSV
        </a>
      }
    >
      <form className="mb-3 flex flex-wrap items-end gap-3" role="search" aria-label="Filter recipients" onSubmit={(event) => event.preventDefault()}>
        <div className="w-48">
          <Field label="Status">
            {(p) => (
              <Select {...p} name="status" value={status} onChange={(e) => setStatus(e.target.value as RecipientStatus | "")}>
                <option value="">Every status</option>
                {RECIPIENT_STATUSES.map((value) => (
                  <option key={value} value={value}>
                    {RECIPIENT_STATUS_LABELS[value]}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        </div>
        <p className="pb-2 text-sm text-slate-500" aria-live="polite">
          {list.isSuccess && `${total.toLocaleString("en-US")} ${total === 1 ? "recipient" : "recipients"}`}
        </p>
      </form>
      <PagedList
        list={list}
        count={rows.length}
        what="recipients"
        emptyTestId="recipients-empty"
        empty={status ? `No recipient is ${RECIPIENT_STATUS_LABELS[status].toLowerCase()}.` : "No recipients yet: they are frozen when the campaign is launched."}
      >
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="recipients-table">
            <caption className="sr-only">Campaign recipients. Times in {zone}.</caption>
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th scope="col" className="py-2 pr-4 font-medium">Lead</th>
                <th scope="col" className="py-2 pr-4 font-medium">Phone</th>
                <th scope="col" className="py-2 pr-4 font-medium">Status</th>
                <th scope="col" className="py-2 pr-4 font-medium">Message</th>
                <th scope="col" className="py-2 pr-4 font-medium">Decisions</th>
                <th scope="col" className="py-2 font-medium">When</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((row) => (
                <RecipientRowView key={row.id} row={row} zone={zone} />
              ))}
            </tbody>
          </table>
        </div>
      </PagedList>
    </Card>
  );
}

function RecipientRowView({ row, zone }: { row: RecipientRow; zone: string }) {
  const message = row.message;
  const when = message?.createdAt ?? row.decisions[0]?.decidedAt ?? null;
  return (
    <tr className="align-top" data-testid="recipient-row">
      <th scope="row" className="py-2 pr-4 font-normal">
        {row.leadId ? (
          <Link href={`/leads/${row.leadId}`} className="font-medium text-brand-700 hover:underline">
            {row.ownerName ?? "Unknown owner"}
          </Link>
        ) : (
          <span className="font-medium text-slate-700">{row.ownerName ?? "Removed lead"}</span>
        )}
        {row.address && <div className="text-xs text-slate-500">{row.address}</div>}
      </th>
      <td className="whitespace-nowrap py-2 pr-4 font-mono text-xs">{row.phone ? formatPhone(row.phone) : "no textable phone"}</td>
      <td className="py-2 pr-4">
        <span data-testid="recipient-status">
          <Badge tone={RECIPIENT_STATUS_TONES[row.status]}>{RECIPIENT_STATUS_LABELS[row.status]}</Badge>
        </span>
        {row.reasonMessage && <div className="mt-1 max-w-56 text-xs text-slate-600">{row.reasonMessage}</div>}
        {row.status === "pending" && row.notBefore && (
          <div className="mt-1 text-xs text-slate-500">
            not before <TimeInZone value={row.notBefore} zone={zone} />
          </div>
        )}
      </td>
      <td className="py-2 pr-4">
        {message ? (
          <div className="space-y-1">
            <span data-testid="recipient-message-status">
              <Badge tone={MESSAGE_STATUS_TONES[message.status] ?? "slate"}>{MESSAGE_STATUS_LABELS[message.status] ?? message.status}</Badge>
            </span>
            {message.replied && (
              <span className="ml-1">
                <Badge tone="blue">Replied</Badge>
              </span>
            )}
            {message.errorCode && (
              <div className="text-xs text-red-700">
                Error {message.errorCode}
                {ERROR_CODE_LABELS[message.errorCode] ? `: ${ERROR_CODE_LABELS[message.errorCode]}` : ""}
              </div>
            )}
            {message.costCents !== null && <div className="text-xs text-slate-500">{formatCents(message.costCents)}</div>}
          </div>
        ) : (
          <span className="text-slate-400">—</span>
        )}
      </td>
      <td className="py-2 pr-4">
        {row.decisions.length === 0 ? (
          <span className="text-slate-400">—</span>
        ) : (
          <ul className="space-y-1">
            {row.decisions.map((decision, index) => (
              <li key={index} className="text-xs">
                <Badge tone={DECISION_OUTCOME_TONES[decision.outcome] ?? "slate"}>{OUTCOME_LABELS[decision.outcome as keyof typeof OUTCOME_LABELS] ?? decision.outcome}</Badge>{" "}
                <span className="text-slate-600">{decision.message ?? decision.reason ?? ""}</span>{" "}
                <span className="whitespace-nowrap text-slate-400">
                  <TimeInZone value={decision.decidedAt} zone={zone} />
                </span>
              </li>
            ))}
          </ul>
        )}
      </td>
      <td className="whitespace-nowrap py-2 text-slate-500">{when ? <TimeInZone value={when} zone={zone} /> : "—"}</td>
    </tr>
  );
}
