"use client";

import Link from "next/link";
import { useState } from "react";
import { TemperaturePill } from "@/components/search/temperature-pill";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Badge, Card, Skeleton } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { inputClass, Select } from "@/components/ui/field";
import { formatDollarsFromCents } from "@/lib/money";
import { api } from "@/trpc/react";
import { ContactablePill, DateText } from "./bits";
import { formatIsoDay, formatPhone } from "@/components/shared/format";
import { LEAD_STATUSES, PROPERTY_TYPE_LABELS, SOURCE_LABELS, STATUS_LABELS, personName, type LeadDetail, type LeadStatus } from "./labels";
import { LeadNotes } from "./lead-notes";
import { LeadDeal } from "./lead-deal";
import { LeadOutcome } from "./lead-outcome";
import { LeadTasks } from "@/components/tasks/lead-tasks";
import { LeadScore } from "./lead-score";
import { LeadTagsEditor } from "./lead-tags-editor";
import { LeadThumbBar } from "./lead-thumb-bar";
import { LeadTimeline } from "./lead-timeline";
import { LeadTexts } from "@/components/messaging/lead-texts";
import { SkipTraceButton } from "@/components/skip-trace/skip-trace-dialog";
import { SkipTraceHistory } from "@/components/skip-trace/skip-trace-history";
import { useLeadCache } from "./use-lead";

type Viewer = { userId: string; role: "admin" | "manager" | "user" };

export function LeadView({ id, viewer }: { id: string; viewer: Viewer }) {
  const [lead] = api.leads.get.useSuspenseQuery({ id });
  return (
    <div className="space-y-6">
      <LeadHeader lead={lead} viewer={viewer} />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <div className="grid grid-cols-1 gap-6 md:grid-cols-2">
            <PropertyCard lead={lead} />
            <OwnerCard lead={lead} />
          </div>
          <PhonesCard lead={lead} canManage={viewer.role !== "user"} viewerId={viewer.userId} />
          <div id="lead-texts" className="scroll-mt-4">
            <LeadTexts leadId={lead.id} isAdmin={viewer.role === "admin"} />
          </div>
          <EmailsCard lead={lead} />
          <SkipTraceHistory leadId={lead.id} canManage={viewer.role !== "user"} />
          <div id="lead-notes" className="scroll-mt-4">
            <LeadNotes lead={lead} viewerId={viewer.userId} />
          </div>
          <LeadTimeline lead={lead} />
        </div>
        <div className="space-y-6">
          <LeadTasks leadId={lead.id} viewerId={viewer.userId} />
          <LeadDeal lead={lead} />
          <LeadOutcome lead={lead} />
          <LeadScore lead={lead} />
          <AiSummaryCard lead={lead} />
        </div>
      </div>
      <LeadThumbBar lead={lead} />
    </div>
  );
}

/** Shown only when the operator configured OpenAI, or when a summary was made earlier. */
function AiSummaryCard({ lead }: { lead: LeadDetail }) {
  const available = api.leads.aiSummaryAvailable.useQuery(undefined, { staleTime: Infinity });
  const utils = api.useUtils();
  const summarize = api.leads.summarize.useMutation({ onSuccess: () => utils.leads.get.invalidate({ id: lead.id }) });
  if (!lead.aiSummary && !available.data) return null;
  return (
    <Card
      title="AI summary"
      description="Generated from the property facts only; check before relying on it."
      actions={
        available.data ? (
          <Button size="sm" variant="secondary" pending={summarize.isPending} onClick={() => summarize.mutate({ id: lead.id })}>
            {lead.aiSummary ? "Refresh" : "Summarize"}
          </Button>
        ) : undefined
      }
    >
      {summarize.error && <Alert tone="error" className="mb-2">{describeError(summarize.error).message}</Alert>}
      {lead.aiSummary ? (
        <p className="whitespace-pre-wrap text-sm text-slate-700">{lead.aiSummary}</p>
      ) : (
        <p className="text-sm text-slate-500">No summary yet.</p>
      )}
    </Card>
  );
}

function LeadHeader({ lead, viewer }: { lead: LeadDetail; viewer: Viewer }) {
  const cache = useLeadCache(lead.id);
  const assignees = api.leads.assignees.useQuery();
  const update = api.leads.update.useMutation({
    onMutate: ({ patch }) =>
      cache.optimistic((current) => ({
        ...current,
        ...(patch.status ? { status: patch.status } : {}),
        ...(patch.assigneeId !== undefined
          ? { assignee: patch.assigneeId === null ? null : (assignees.data?.find((p) => p.id === patch.assigneeId) ?? current.assignee) }
          : {}),
      })),
    onError: (_error, _variables, context) => cache.rollback(context),
    onSuccess: (updated) => cache.accept(updated),
    onSettled: () => cache.listsChanged(),
  });
  const archive = api.leads.bulk.useMutation({
    onSuccess: () => cache.refresh(),
    onSettled: () => cache.listsChanged(),
  });
  const error = update.error ?? archive.error;
  const canManage = viewer.role !== "user";

  return (
    <header className="space-y-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/leads" className="text-brand-600 hover:underline">
          ← All leads
        </Link>
      </nav>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className="break-words text-2xl font-semibold tracking-tight text-slate-900">{lead.addressLine1}</h1>
          <p className="text-sm text-slate-500">
            {lead.city}, {lead.state} {lead.zip}
            {lead.ownerName && <> · {lead.ownerName}</>}
          </p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <TemperaturePill temperature={lead.temperature} score={lead.score} factors={lead.scoreFactors} />
            {lead.textable && <ContactablePill />}
            {lead.archivedAt && <Badge tone="amber">Archived</Badge>}
            <span className="text-xs text-slate-500">
              {SOURCE_LABELS[lead.source]} · added <DateText value={lead.createdAt} />
            </span>
          </div>
        </div>
        <div className="grid w-full grid-cols-2 items-end gap-3 sm:flex sm:w-auto sm:flex-wrap">
          <label className="space-y-1 text-sm font-medium text-slate-700">
            <span className="block">Status</span>
            <Select
              className="w-full py-1.5 sm:w-44"
              value={lead.status}
              data-testid="status-select"
              onChange={(event) => update.mutate({ id: lead.id, patch: { status: event.target.value as LeadStatus } })}
            >
              {LEAD_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {STATUS_LABELS[status]}
                </option>
              ))}
            </Select>
          </label>
          <label className="space-y-1 text-sm font-medium text-slate-700">
            <span className="block">Assignee</span>
            <Select
              className="w-full py-1.5 sm:w-48"
              value={lead.assignee?.id ?? ""}
              onChange={(event) => update.mutate({ id: lead.id, patch: { assigneeId: event.target.value || null } })}
            >
              <option value="">Unassigned</option>
              {lead.assignee && !assignees.data?.some((p) => p.id === lead.assignee?.id) && <option value={lead.assignee.id}>{personName(lead.assignee)}</option>}
              {assignees.data?.map((person) => (
                <option key={person.id} value={person.id}>
                  {personName(person)}
                </option>
              ))}
            </Select>
          </label>
          {canManage && <SkipTraceButton leadId={lead.id} />}
          {canManage && (
            <Button
              variant="secondary"
              size="sm"
              className="mb-0.5"
              pending={archive.isPending}
              onClick={() => archive.mutate({ target: { ids: [lead.id] }, action: { kind: lead.archivedAt ? "restore" : "archive" } })}
            >
              {lead.archivedAt ? "Restore" : "Archive"}
            </Button>
          )}
        </div>
      </div>
      <div>
        <h2 className="sr-only">Tags</h2>
        <LeadTagsEditor lead={lead} />
      </div>
      {error && <Alert tone="error">{describeError(error).message}</Alert>}
    </header>
  );
}

function Facts({ items }: { items: [string, React.ReactNode][] }) {
  return (
    <dl className="grid grid-cols-2 gap-x-4 gap-y-3 text-sm">
      {items.map(([label, value]) => (
        <div key={label}>
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
          <dd className="mt-0.5 text-slate-900">{value ?? <span className="text-slate-400">—</span>}</dd>
        </div>
      ))}
    </dl>
  );
}

const yesNo = (value: boolean | null) => (value === null ? null : value ? "Yes" : "No");

function PropertyCard({ lead }: { lead: LeadDetail }) {
  const equity =
    lead.equityPct === null ? null : `${lead.equityPct.toFixed(0)}%${lead.estimatedValueCents !== null ? ` (≈ ${formatDollarsFromCents(Math.round((lead.estimatedValueCents * lead.equityPct) / 100))})` : ""}`;
  return (
    <Card title="Property & valuation">
      <Facts
        items={[
          ["Type", lead.propertyType ? (PROPERTY_TYPE_LABELS[lead.propertyType] ?? lead.propertyType) : null],
          ["Beds / baths", lead.beds === null && lead.baths === null ? null : `${lead.beds ?? "—"} bd · ${lead.baths ?? "—"} ba`],
          ["Size", lead.sizeSqft === null ? null : `${lead.sizeSqft.toLocaleString("en-US")} sq ft`],
          ["Year built", lead.yearBuilt],
          ["Estimated value", lead.estimatedValueCents === null ? null : formatDollarsFromCents(lead.estimatedValueCents)],
          ["Assessed value", lead.assessedValueCents === null ? null : formatDollarsFromCents(lead.assessedValueCents)],
          ["Equity", equity],
          ["Last sale", lead.lastSaleDate ? `${formatIsoDay(lead.lastSaleDate)}${lead.lastSalePriceCents !== null ? ` · ${formatDollarsFromCents(lead.lastSalePriceCents)}` : ""}` : null],
          ["Vacant", yesNo(lead.vacant)],
        ]}
      />
    </Card>
  );
}

function OwnerCard({ lead }: { lead: LeadDetail }) {
  return (
    <Card title="Owner">
      <Facts
        items={[
          ["Name", lead.ownerName],
          [
            "Kind",
            <span key="kind" className="flex flex-wrap gap-1">
              {lead.ownerIsCorporate ? <Badge>Company or trust</Badge> : <Badge>Person</Badge>}
              {lead.absentee && <Badge tone="amber">Absentee</Badge>}
              {lead.absentee === false && <Badge tone="green">Owner-occupied</Badge>}
            </span>,
          ],
          ["Mailing address", lead.mailingAddress],
        ]}
      />
    </Card>
  );
}

const PHONE_STATUS: Record<LeadDetail["phones"][number]["status"], { label: string; tone: "slate" | "red" | "amber" | "green" } | null> = {
  ok: null,
  wrong_number: { label: "Wrong number", tone: "amber" },
  opted_out: { label: "Opted out", tone: "red" },
  invalid: { label: "Invalid", tone: "slate" },
};
const PHONE_TYPE: Record<LeadDetail["phones"][number]["type"], string> = { mobile: "Mobile", landline: "Landline", voip: "VoIP", unknown: "Unknown" };

/** Checks the phones' line types with Twilio Lookup (each lookup paid under its own cap). */
function ValidatePhonesButton({ leadId }: { leadId: string }) {
  const utils = api.useUtils();
  const validate = api.skipTrace.validatePhones.useMutation({ onSuccess: () => utils.leads.get.invalidate({ id: leadId }) });
  return (
    <div className="flex flex-col items-end gap-1">
      <Button size="sm" variant="secondary" pending={validate.isPending} onClick={() => validate.mutate({ leadId })} title="Look up each number's line type (paid per lookup under the Twilio Lookup cap)">
        Validate line types
      </Button>
      {validate.data && (
        <span className="text-xs text-slate-500" role="status">
          {validate.data.validated.length} checked · {validate.data.validated.filter((v) => v.from !== v.to || !v.valid).length} corrected
        </span>
      )}
      {validate.error && <span className="text-xs text-red-600" role="alert">{describeError(validate.error).message}</span>}
    </div>
  );
}

type LeadPhone = LeadDetail["phones"][number];

/** Why a phone cannot take a text, as the lead page says it. */
const BLOCKER_TEXT: Record<LeadPhone["blockers"][number], string> = {
  landline: "landline",
  voip: "VoIP",
  invalid: "invalid",
  wrong_number: "wrong number",
  opted_out: "opted out",
  suppressed: "on the opt-out list",
  do_not_call: "do not call",
  dnc_list: "on the do-not-contact list",
  dnc: "DNC",
  tcpa: "TCPA litigator",
};

function markedBy(person: { id: string; name: string | null; email: string } | null, viewerId: string): string {
  if (!person) return "a former teammate";
  return person.id === viewerId ? "you" : (personName(person) ?? person.email);
}

/** Copy, call, and the teammate's marks on one phone (wrong number, verified, do not call). */
function PhoneActions({ leadId, phone, viewerId }: { leadId: string; phone: LeadPhone; viewerId: string }) {
  const cache = useLeadCache(leadId);
  const [copied, setCopied] = useState(false);
  const mark = api.leads.markPhone.useMutation({
    onSuccess: (lead) => {
      cache.accept(lead);
      cache.listsChanged();
    },
  });
  const pretty = formatPhone(phone.number);
  const doMark = (value: "wrong_number" | "verified" | "do_not_call") => mark.mutate({ phoneId: phone.id, mark: value });
  return (
    <div className="flex flex-col gap-1">
      <div className="flex flex-wrap items-center gap-1">
        <Button
          size="sm"
          variant="ghost"
          aria-label={`Copy ${pretty}`}
          onClick={() => {
            void navigator.clipboard?.writeText(phone.number).then(() => {
              setCopied(true);
              setTimeout(() => setCopied(false), 1500);
            });
          }}
        >
          {copied ? "Copied" : "Copy"}
        </Button>
        <a href={`tel:${phone.number}`} className="rounded px-2 py-1 text-sm font-medium text-brand-700 hover:bg-brand-50" aria-label={`Call ${pretty}`}>
          Call
        </a>
        {phone.status !== "wrong_number" && (
          <Button size="sm" variant="ghost" pending={mark.isPending && mark.variables?.mark === "wrong_number"} onClick={() => doMark("wrong_number")} aria-label={`Mark ${pretty} as a wrong number`}>
            Wrong number
          </Button>
        )}
        {!phone.verifiedAt && (
          <Button size="sm" variant="ghost" pending={mark.isPending && mark.variables?.mark === "verified"} onClick={() => doMark("verified")} aria-label={`Mark ${pretty} as verified`}>
            Verified
          </Button>
        )}
        {!phone.doNotCallAt && (
          <Button
            size="sm"
            variant="ghost"
            pending={mark.isPending && mark.variables?.mark === "do_not_call"}
            aria-label={`Mark ${pretty} do not call`}
            onClick={() => {
              if (window.confirm(`Put ${pretty} on the do-not-contact list? It will not be texted or called again; only an admin can take it off.`)) doMark("do_not_call");
            }}
          >
            Do not call
          </Button>
        )}
      </div>
      <div className="text-xs text-slate-500">
        {phone.verifiedAt && (
          <div>
            Verified by {markedBy(phone.verifiedBy, viewerId)} <DateText value={phone.verifiedAt} />
          </div>
        )}
        {phone.wrongNumberAt && (
          <div>
            Marked wrong by {markedBy(phone.wrongNumberBy, viewerId)} <DateText value={phone.wrongNumberAt} />
          </div>
        )}
        {phone.doNotCallAt && (
          <div>
            Do not call, marked by {markedBy(phone.doNotCallBy, viewerId)} <DateText value={phone.doNotCallAt} />
          </div>
        )}
      </div>
      {mark.error && <span className="text-xs text-red-600" role="alert">{describeError(mark.error).message}</span>}
    </div>
  );
}

function PhonesCard({ lead, canManage, viewerId }: { lead: LeadDetail; canManage: boolean; viewerId: string }) {
  return (
    <Card
      title="Phones"
      description={lead.skipTracedAt ? <>Skip traced <DateText value={lead.skipTracedAt} /></> : undefined}
      actions={canManage && lead.phones.length > 0 ? <ValidatePhonesButton leadId={lead.id} /> : undefined}
    >
      {lead.phones.length === 0 ? (
        <p className="text-sm text-slate-500" data-testid="no-phones">
          {lead.skipTracedAt
            ? "No phones yet: the last skip trace found none."
            : `No phones yet.${canManage ? " Skip trace this lead to look up the owner's phones." : " A manager can skip trace this lead."}`}
        </p>
      ) : (
        <div className="relative -mx-5 overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-xs uppercase text-slate-500">
              <tr>
                <th scope="col" className="px-5 py-2 font-medium">Number</th>
                <th scope="col" className="px-3 py-2 font-medium">Type</th>
                <th scope="col" className="px-3 py-2 font-medium">Carrier</th>
                <th scope="col" className="px-3 py-2 font-medium">Flags</th>
                <th scope="col" className="px-3 py-2 font-medium">Status</th>
                <th scope="col" className="px-3 py-2 font-medium">Textable</th>
                <th scope="col" className="px-3 py-2 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {lead.phones.map((phone) => {
                const status = PHONE_STATUS[phone.status];
                return (
                  <tr key={phone.id} data-testid="lead-phone" data-number={phone.number}>
                    <td className="whitespace-nowrap px-5 py-2 tabular-nums">
                      {phone.isBest ? (
                        <span className="mr-1 text-amber-500" title="Best phone">
                          ★<span className="sr-only"> Best phone:</span>
                        </span>
                      ) : (
                        <span className="mr-1 inline-block w-[1ch]" aria-hidden />
                      )}
                      <a href={`tel:${phone.number}`} className="hover:underline">
                        {formatPhone(phone.number)}
                      </a>
                      {phone.verifiedAt && (
                        <span className="ml-1 text-emerald-600" title="Verified">
                          ✓<span className="sr-only"> verified</span>
                        </span>
                      )}
                    </td>
                    <td className="px-3 py-2">{PHONE_TYPE[phone.type]}</td>
                    <td className="px-3 py-2">{phone.carrier ?? <span className="text-slate-400">—</span>}</td>
                    <td className="px-3 py-2">
                      <span className="flex flex-wrap gap-1">
                        {phone.dnc && <Badge tone="red">DNC</Badge>}
                        {phone.tcpa && <Badge tone="red">TCPA litigator</Badge>}
                        {!phone.dnc && !phone.tcpa && <span className="text-slate-400">—</span>}
                      </span>
                    </td>
                    <td className="px-3 py-2">{status ? <Badge tone={status.tone}>{status.label}</Badge> : <span className="text-slate-500">OK</span>}</td>
                    <td className="px-3 py-2" data-testid="phone-textable">
                      {phone.textable ? (
                        <Badge tone="green">Textable</Badge>
                      ) : (
                        <span className="text-slate-500" title="Why this number cannot take a text">
                          No: {phone.blockers.map((b) => BLOCKER_TEXT[b]).join(", ")}
                        </span>
                      )}
                    </td>
                    <td className="px-3 py-2">
                      <PhoneActions leadId={lead.id} phone={phone} viewerId={viewerId} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <AddPhoneForm leadId={lead.id} />
    </Card>
  );
}

/** A number a teammate got elsewhere (a neighbour, a sign call): typed in, checked, added to the lead. */
function AddPhoneForm({ leadId }: { leadId: string }) {
  const [number, setNumber] = useState("");
  const [type, setType] = useState<"mobile" | "landline" | "voip" | "unknown">("mobile");
  const cache = useLeadCache(leadId);
  const utils = api.useUtils();
  const add = api.leads.addPhone.useMutation({
    onSuccess: async (lead) => {
      cache.accept(lead);
      cache.listsChanged();
      setNumber("");
      await utils.messaging.leadThread.invalidate({ leadId });
    },
  });
  return (
    <form
      className="mt-3 flex flex-wrap items-end gap-2 border-t border-slate-100 pt-3"
      onSubmit={(event) => {
        event.preventDefault();
        if (number.trim()) add.mutate({ leadId, number, type });
      }}
    >
      <label className="text-sm">
        <span className="mb-1 block text-xs font-medium text-slate-600">Add a phone</span>
        <input
          value={number}
          onChange={(event) => {
            setNumber(event.target.value);
            if (add.error) add.reset();
          }}
          placeholder="(512) 555-0123"
          inputMode="tel"
          maxLength={40}
          className={cn(inputClass, "w-44")}
        />
      </label>
      <label className="text-sm">
        <span className="mb-1 block text-xs font-medium text-slate-600">Line type</span>
        <Select value={type} onChange={(event) => setType(event.target.value as typeof type)}>
          <option value="mobile">Mobile</option>
          <option value="landline">Landline</option>
          <option value="voip">VoIP</option>
          <option value="unknown">Unknown</option>
        </Select>
      </label>
      <Button type="submit" size="sm" variant="secondary" pending={add.isPending} disabled={!number.trim()}>
        Add phone
      </Button>
      {add.error && <Alert tone="error" className="basis-full">{describeError(add.error).message}</Alert>}
    </form>
  );
}

function EmailsCard({ lead }: { lead: LeadDetail }) {
  return (
    <Card title="Emails">
      {lead.emails.length === 0 ? (
        <p className="text-sm text-slate-500">No emails yet.</p>
      ) : (
        <ul className="space-y-1 text-sm">
          {lead.emails.map((email) => (
            <li key={email.id} className="flex items-center justify-between gap-2">
              <a href={`mailto:${email.email}`} className="text-brand-700 hover:underline">
                {email.email}
              </a>
              <span className="text-xs text-slate-400">{email.source}</span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

export function LeadViewSkeleton() {
  return (
    <div className="space-y-6" aria-busy="true" aria-label="Loading lead">
      <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <Skeleton className="h-4 w-24" />
        <Skeleton className="h-7 w-72" />
        <Skeleton className="h-4 w-48" />
      </div>
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <Skeleton className="h-48 w-full" />
          <Skeleton className="h-32 w-full" />
        </div>
        <Skeleton className="h-64 w-full" />
      </div>
    </div>
  );
}
