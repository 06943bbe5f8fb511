"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useNow } from "@/components/shared/time";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Input, Select } from "@/components/ui/field";
import { api, type RouterInputs } from "@/trpc/react";
import { messagesPerSecondLabel } from "@/components/texting/texting-read-only";
import { type Campaign, type CampaignAudience, type PreviewOutput } from "./labels";
import { PreviewPanel } from "./preview-panel";
import { TemplateEditor } from "./template-editor";
import { useZoneLabel } from "./time-in-zone";
import { fromZonedInputValue, toZonedInputValue } from "./zoned-time";
import { plural } from "@/components/shared/format";

type CampaignFields = RouterInputs["campaigns"]["create"];

/** The server's bounds (campaigns/schema.ts): the throttle, and how many leads one campaign reaches. */
const MAX_RATE_PER_SECOND = 100;
const PREVIEW_DEBOUNCE_MS = 300;

type Draft = {
  name: string;
  template: string;
  /** "" until one is picked: the first sender. */
  senderId: string;
  audienceKind: "filter" | "selection";
  savedFilterId: string;
  leadIds: string[];
  allPhones: boolean;
  when: "now" | "later";
  /** datetime-local on the organization's clock. */
  scheduledLocal: string;
  rate: string;
};

function initialDraft(campaign: Campaign | undefined, leadIds: string[], zone: string): Draft {
  const audience = campaign?.audience;
  return {
    name: campaign?.name ?? "",
    template: campaign?.template ?? "",
    senderId: campaign?.senderIdentity?.id ?? "",
    audienceKind: audience ? audience.kind : leadIds.length > 0 ? "selection" : "filter",
    savedFilterId: audience?.kind === "filter" ? audience.savedFilterId : "",
    leadIds: audience?.kind === "selection" ? audience.leadIds : leadIds,
    allPhones: campaign?.allPhones ?? false,
    when: campaign?.scheduledAt ? "later" : "now",
    scheduledLocal: campaign?.scheduledAt ? toZonedInputValue(campaign.scheduledAt, zone) : "",
    rate: String(campaign?.ratePerSecond ?? 1),
  };
}

/** The fields the form shows a server refusal under. */
const FORM_FIELDS = ["name", "template", "senderIdentityId", "audience", "scheduledAt", "ratePerSecond"];

type Problems = Partial<Record<"name" | "template" | "sender" | "audience" | "scheduledAt" | "ratePerSecond", string>>;

/**
 * The campaign editor (managers): name, message with merge fields and a live preview against the
 * audience's leads, sender, audience, schedule and throttle. New campaigns are created; drafts are
 * updated in place.
 */
export function CampaignForm({ zone, campaign, initialLeadIds = [], onDirtyChange }: {
  zone: string;
  campaign?: Campaign;
  initialLeadIds?: string[];
  onDirtyChange?: (dirty: boolean) => void;
}) {
  const router = useRouter();
  const utils = api.useUtils();
  const settings = api.smsSettings.get.useQuery();
  const savedFilters = api.savedFilters.list.useQuery();
  /** What was last saved: the form is dirty when the draft differs from it. */
  const [initial, setInitial] = useState(() => initialDraft(campaign, initialLeadIds, zone));
  const [draft, setDraft] = useState<Draft>(initial);
  const [submitted, setSubmitted] = useState(false);
  const [saved, setSaved] = useState(false);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setSaved(false);
    setDraft((current) => ({ ...current, [key]: value }));
  };

  const senders = settings.data?.senders ?? [];
  const sender = senders.find((s) => s.id === draft.senderId) ?? senders[0] ?? null;
  const filters = savedFilters.data ?? [];
  const savedFilterId = draft.savedFilterId || (draft.audienceKind === "filter" ? (filters[0]?.id ?? "") : "");

  const audience: CampaignAudience | null =
    draft.audienceKind === "selection"
      ? draft.leadIds.length > 0
        ? { kind: "selection", leadIds: draft.leadIds }
        : null
      : savedFilterId
        ? { kind: "filter", savedFilterId }
        : null;
  const scheduledAt = draft.when === "later" ? fromZonedInputValue(draft.scheduledLocal, zone) : null;
  const rate = /^\d+$/.test(draft.rate.trim()) ? Number(draft.rate.trim()) : null;

  const problems: Problems = {};
  const now = useNow();
  const zoneName = useZoneLabel(zone);
  if (!draft.name.trim()) problems.name = "Name the campaign.";
  if (!draft.template.trim()) problems.template = "Write the message.";
  if (!audience) problems.audience = draft.audienceKind === "selection" ? "Select leads on the leads page first." : "Choose a saved filter.";
  if (draft.when === "later") {
    if (!scheduledAt) problems.scheduledAt = "Choose a date and time.";
    else if (now !== null && scheduledAt.getTime() <= now) problems.scheduledAt = "Choose a time in the future, or send as soon as it is launched.";
  }
  if (rate === null) problems.ratePerSecond = "A whole number of messages per second.";
  else if (rate < 1) problems.ratePerSecond = "At least 1 message per second.";
  else if (rate > MAX_RATE_PER_SECOND) problems.ratePerSecond = `At most ${MAX_RATE_PER_SECOND} messages per second.`;
  else if (sender && rate > sender.messagesPerSecond) {
    problems.ratePerSecond = `${sender.value} sends at most ${messagesPerSecondLabel(sender.messagesPerSecond)} (Settings → Texting). Lower the throttle or choose a faster sender.`;
  }

  const fields: CampaignFields | null =
    audience && rate !== null
      ? {
          name: draft.name.trim(),
          template: draft.template,
          senderIdentityId: sender?.id ?? null,
          audience,
          allPhones: draft.allPhones,
          scheduledAt,
          ratePerSecond: rate,
        }
      : null;

  const dirty = JSON.stringify(draft) !== JSON.stringify(initial);
  const onDirtyRef = useRef(onDirtyChange);
  useEffect(() => {
    onDirtyRef.current = onDirtyChange;
  }, [onDirtyChange]);
  useEffect(() => {
    onDirtyRef.current?.(dirty);
  }, [dirty]);

  const create = api.campaigns.create.useMutation({
    onSuccess: async ({ id }) => {
      await utils.campaigns.list.invalidate();
      router.push(`/campaigns/${id}`);
    },
  });
  const update = api.campaigns.update.useMutation({
    onSuccess: async () => {
      setSaved(true);
      await Promise.all([utils.campaigns.get.invalidate({ id: campaign!.id }), utils.campaigns.list.invalidate()]);
    },
  });
  const save = campaign ? update : create;
  const failure = save.error ? describeError(save.error) : null;
  // A domain refusal names its field in details.field (the throttle above the sender's throughput, a deleted saved filter).
  const detailField = (save.error as { data?: { details?: { field?: unknown } | null } } | null)?.data?.details?.field;
  const serverField = (key: string) => failure?.fieldErrors[key]?.[0] ?? (failure && detailField === key ? failure.message : null);
  const shownByField = typeof detailField === "string" && FORM_FIELDS.includes(detailField);
  const shown = (key: keyof Problems) => (submitted ? problems[key] : null) ?? serverField(key) ?? null;
  const audienceError = shown("audience") ?? serverField("audience.savedFilterId") ?? serverField("audience.leadIds");

  // The live preview: the server renders real leads of the audience, 300 ms after the last change.
  const preview = usePreview(draft.template, audience, draft.allPhones);

  function submit(event: React.FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    setSaved(false);
    if (Object.keys(problems).length > 0 || !fields) {
      // Take keyboard users to the first field that needs them.
      requestAnimationFrame(() => document.querySelector<HTMLElement>("[data-campaign-form] [aria-invalid=true]")?.focus());
      return;
    }
    const snapshot = draft;
    if (campaign) update.mutate({ id: campaign.id, ...fields }, { onSuccess: () => setInitial(snapshot) });
    else create.mutate(fields);
  }

  const leadCount = draft.leadIds.length;
  return (
    <form onSubmit={submit} noValidate data-campaign-form className="space-y-6" aria-label={campaign ? "Edit campaign" : "New campaign"}>
      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_minmax(0,26rem)]">
        <div className="space-y-6">
          <Card title="Message" description="Write it once; every recipient gets their own names and address. The first text must say who you are and how to opt out.">
            <div className="space-y-4">
              <Field label="Campaign name" error={shown("name")}>
                {(p) => <Input {...p} name="name" value={draft.name} maxLength={120} onChange={(e) => set("name", e.target.value)} placeholder="Absentee owners, Tampa — December" />}
              </Field>
              <TemplateEditor
                value={draft.template}
                onChange={(next) => set("template", next)}
                error={shown("template")}
                preview={preview.data}
                previewFor={preview.forTemplate}
              />
            </div>
          </Card>

          <Card title="Audience" description="Who gets the text: the leads of a saved filter (read again at each pre-flight) or the leads you selected.">
            <div className="space-y-4">
              <fieldset className="space-y-2">
                <legend className="sr-only">Audience</legend>
                <label className="flex items-start gap-2 text-sm">
                  <input type="radio" name="audienceKind" className="mt-1" checked={draft.audienceKind === "filter"} onChange={() => set("audienceKind", "filter")} />
                  <span>A saved filter</span>
                </label>
                {draft.audienceKind === "filter" && (
                  <div className="ml-6 max-w-md">
                    {savedFilters.isPending ? (
                      <p className="text-sm text-slate-500">Loading saved filters…</p>
                    ) : savedFilters.isError ? (
                      <Alert tone="error">Couldn&apos;t load saved filters: {describeError(savedFilters.error).message}</Alert>
                    ) : filters.length === 0 ? (
                      <Alert tone="info">
                        No saved filters yet. Filter the{" "}
                        <Link href="/leads" className="font-medium underline">
                          leads list
                        </Link>{" "}
                        and use “Save filter”.
                      </Alert>
                    ) : (
                      <Field label="Saved filter" error={audienceError}>
                        {(p) => (
                          <Select {...p} name="savedFilterId" value={savedFilterId} onChange={(e) => set("savedFilterId", e.target.value)}>
                            {filters.map((filter) => (
                              <option key={filter.id} value={filter.id}>
                                {filter.name}
                              </option>
                            ))}
                          </Select>
                        )}
                      </Field>
                    )}
                  </div>
                )}
                <label className="flex items-start gap-2 text-sm">
                  <input
                    type="radio"
                    name="audienceKind"
                    className="mt-1"
                    checked={draft.audienceKind === "selection"}
                    disabled={leadCount === 0}
                    onChange={() => set("audienceKind", "selection")}
                  />
                  <span>
                    Selected leads{" "}
                    {leadCount > 0 ? (
                      <span className="text-slate-500" data-testid="selected-lead-count">
                        ({plural(leadCount, "lead")})
                      </span>
                    ) : (
                      <span className="text-slate-500">
                        — select leads on the{" "}
                        <Link href="/leads" className="underline">
                          leads page
                        </Link>{" "}
                        and choose “Text these leads”
                      </span>
                    )}
                  </span>
                </label>
                {draft.audienceKind === "selection" && audienceError && <p className="ml-6 text-sm text-red-600">{audienceError}</p>}
              </fieldset>
              <label className="flex items-start gap-2 text-sm">
                <input type="checkbox" name="allPhones" className="mt-1" checked={draft.allPhones} onChange={(e) => set("allPhones", e.target.checked)} />
                <span>
                  Text every textable phone of each lead
                  <span className="block text-xs text-slate-500">Off: only each lead&apos;s best textable phone. A phone shared by several leads is texted once.</span>
                </span>
              </label>
            </div>
          </Card>

          <Card title="Sending" description="Where the texts come from, when they start and how fast they go. Quiet hours are applied per recipient either way.">
            <div className="grid gap-5 md:grid-cols-2">
              <div>
                {settings.isPending ? (
                  <p className="text-sm text-slate-500">Loading senders…</p>
                ) : settings.isError ? (
                  <Alert tone="error">Couldn&apos;t load senders: {describeError(settings.error).message}</Alert>
                ) : senders.length === 0 ? (
                  <Alert tone="warning">
                    No sender yet: an admin adds a number or Messaging Service in{" "}
                    <Link href="/settings/texting" className="font-medium underline">
                      Settings → Texting
                    </Link>
                    .
                  </Alert>
                ) : (
                  <Field label="Sender" error={shown("sender") ?? serverField("senderIdentityId")} hint="Messages per second is the throughput Twilio gives the sender.">
                    {(p) => (
                      <Select {...p} name="senderIdentityId" value={sender?.id ?? ""} onChange={(e) => set("senderId", e.target.value)}>
                        {senders.map((s) => (
                          <option key={s.id} value={s.id}>
                            {s.value} · {messagesPerSecondLabel(s.messagesPerSecond)}
                          </option>
                        ))}
                      </Select>
                    )}
                  </Field>
                )}
              </div>
              <Field
                label="Throttle (messages per second)"
                error={shown("ratePerSecond") ?? (problems.ratePerSecond && rate !== null && sender && rate > sender.messagesPerSecond ? problems.ratePerSecond : null)}
                hint={sender ? `Up to ${messagesPerSecondLabel(sender.messagesPerSecond)} for this sender.` : "1 unless your sender allows more."}
              >
                {(p) => (
                  <Input
                    {...p}
                    name="ratePerSecond"
                    type="number"
                    inputMode="numeric"
                    min={1}
                    max={Math.min(MAX_RATE_PER_SECOND, sender?.messagesPerSecond ?? MAX_RATE_PER_SECOND)}
                    step={1}
                    className="w-32"
                    value={draft.rate}
                    onChange={(e) => set("rate", e.target.value)}
                  />
                )}
              </Field>
              <fieldset className="space-y-2 md:col-span-2">
                <legend className="text-sm font-medium text-slate-700">When</legend>
                <label className="flex items-center gap-2 text-sm">
                  <input type="radio" name="when" checked={draft.when === "now"} onChange={() => set("when", "now")} />
                  As soon as it is launched
                </label>
                <label className="flex items-center gap-2 text-sm">
                  <input type="radio" name="when" checked={draft.when === "later"} onChange={() => set("when", "later")} />
                  At a time
                </label>
                {draft.when === "later" && (
                  <div className="ml-6 max-w-xs">
                    <Field label={`Start at (${zoneName})`} error={shown("scheduledAt")} hint="Your organization's time zone (Settings → Organization).">
                      {(p) => <Input {...p} name="scheduledAt" type="datetime-local" value={draft.scheduledLocal} onChange={(e) => set("scheduledLocal", e.target.value)} />}
                    </Field>
                  </div>
                )}
              </fieldset>
            </div>
          </Card>
        </div>

        <div className="xl:sticky xl:top-4 xl:self-start">
          <Card>
            <PreviewPanel
              preview={preview.data}
              pending={preview.pending}
              error={preview.error}
              stale={preview.stale}
              waitingFor={!draft.template.trim() ? "Write the message to see it for real leads." : !audience ? "Choose the audience to see the message for its leads." : null}
            />
          </Card>
        </div>
      </div>

      <div className="flex flex-wrap items-center gap-3 border-t border-slate-200 pt-4">
        <Button type="submit" pending={save.isPending} disabled={!!campaign && !dirty && !failure}>
          {campaign ? "Save changes" : "Create campaign"}
        </Button>
        {!campaign && (
          <Link href="/campaigns" className="text-sm font-medium text-slate-600 hover:text-slate-900">
            Cancel
          </Link>
        )}
        {campaign && dirty && <span className="text-sm text-amber-700">Unsaved changes — save before running the pre-flight.</span>}
        {saved && !dirty && (
          <span className="text-sm text-emerald-700" role="status">
            Saved. Run the pre-flight again before launching.
          </span>
        )}
        {submitted && Object.keys(problems).length > 0 && <span className="text-sm text-red-600">Fix the highlighted fields.</span>}
      </div>
      {failure && Object.keys(failure.fieldErrors).length === 0 && !shownByField && <Alert tone="error">{failure.message}</Alert>}
    </form>
  );
}

type PreviewState = { data: PreviewOutput | null; forTemplate: string | null; forKey: string | null; error: string | null; errorKey: string | null };

/** campaigns.preview, debounced, keeping only the answer to the latest request. */
function usePreview(template: string, audience: CampaignAudience | null, allPhones: boolean) {
  const mutation = api.campaigns.preview.useMutation();
  const mutate = mutation.mutateAsync;
  const [state, setState] = useState<PreviewState>({ data: null, forTemplate: null, forKey: null, error: null, errorKey: null });
  const [inFlight, setInFlight] = useState<string | null>(null);
  const latest = useRef(0);
  const ready = template.trim() !== "" && audience !== null;
  const key = ready ? JSON.stringify({ template, audience, allPhones }) : null;

  useEffect(() => {
    if (!key) return;
    const input = JSON.parse(key) as { template: string; audience: CampaignAudience; allPhones: boolean };
    const timer = setTimeout(() => {
      const seq = ++latest.current;
      setInFlight(key);
      mutate({ ...input, limit: 5 }).then(
        (data) => {
          if (seq !== latest.current) return;
          setInFlight(null);
          setState({ data, forTemplate: input.template, forKey: key, error: null, errorKey: null });
        },
        (error: unknown) => {
          if (seq !== latest.current) return;
          setInFlight(null);
          const failure = describeError(error);
          const message = Object.values(failure.fieldErrors).flat()[0] ?? failure.message;
          setState((current) => ({ ...current, error: message, errorKey: key }));
        },
      );
    }, PREVIEW_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [key, mutate]);

  return {
    data: state.data,
    forTemplate: state.forTemplate,
    pending: inFlight !== null || (key !== null && key !== state.forKey && key !== state.errorKey),
    error: key !== null && state.errorKey === key ? state.error : null,
    stale: key !== state.forKey,
  };
}
