"use client";

import { useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Time } from "@/components/shared/time";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Badge, Card } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/field";
import { WEBHOOK_EVENT_INFO, WEBHOOK_EVENT_TYPES, isWebhookEventType, type WebhookEventType } from "@/lib/webhook-events";
import { useClipboard } from "@/components/shared/use-clipboard";
import { api } from "@/trpc/react";

const DELIVERY_BADGE = { pending: { tone: "amber", label: "Retrying" }, succeeded: { tone: "green", label: "Delivered" }, failed: { tone: "red", label: "Failed" } } as const;

const eventLabel = (type: string) => (isWebhookEventType(type) ? WEBHOOK_EVENT_INFO[type].label : type);

export function WebhooksManager() {
  const [endpoints] = api.webhooks.list.useSuspenseQuery();
  const utils = api.useUtils();
  const refresh = () => Promise.all([utils.webhooks.list.invalidate(), utils.webhooks.deliveries.invalidate()]);
  const update = api.webhooks.update.useMutation({ onSettled: refresh });
  const remove = api.webhooks.delete.useMutation({ onSettled: refresh });
  const rotate = api.webhooks.rotateSecret.useMutation({ onSettled: refresh });
  const [confirming, setConfirming] = useState<{ id: string; action: "delete" | "rotate" } | null>(null);
  const failure = update.error ?? remove.error ?? rotate.error;
  const rotated = rotate.data;

  return (
    <div className="space-y-6">
      <CreateEndpointForm onCreated={refresh} />
      <Card title="Endpoints" description="Each event is posted as JSON to every enabled endpoint that chose it. An endpoint whose deliveries keep failing is disabled, and admins are notified.">
        {failure && <Alert tone="error" className="mb-3">{describeError(failure).message}</Alert>}
        {rotated && (
          <NewSecretNotice key={rotated.secret} secret={rotated.secret} onDone={() => rotate.reset()} testId="rotated-webhook-secret">
            New signing secret for <span className="break-all font-mono">{rotated.endpoint.url}</span>: copy it now, it is shown only this once. Until{" "}
            <Time value={rotated.endpoint.previousSecretExpiresAt} />, every delivery is signed with the old secret as well, so your receiver keeps accepting
            them while you switch it to the new one.
          </NewSecretNotice>
        )}
        {endpoints.length === 0 ? (
          <p className="text-sm text-slate-500">No endpoints yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {endpoints.map((endpoint) => (
              <li key={endpoint.id} className="flex flex-wrap items-start justify-between gap-3 py-3" data-testid="webhook-endpoint">
                <div className="min-w-0 flex-1">
                  <p className="break-all font-mono text-sm">{endpoint.url}</p>
                  {endpoint.description && <p className="text-sm text-slate-600">{endpoint.description}</p>}
                  <p className="mt-1 text-xs text-slate-500">
                    {endpoint.events.map(eventLabel).join(", ")} · secret {endpoint.secretHint} · added <Time value={endpoint.createdAt} />
                  </p>
                  {endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > new Date() && (
                    <p className="mt-1 text-xs text-amber-800" data-testid="previous-secret-signs">
                      The replaced secret also signs until <Time value={endpoint.previousSecretExpiresAt} />.
                    </p>
                  )}
                  {!endpoint.enabled && endpoint.disabledReason && <p className="mt-1 text-xs text-red-700">Disabled: {endpoint.disabledReason}</p>}
                  {confirming?.id === endpoint.id && confirming.action === "rotate" && (
                    <p className="mt-1 text-xs text-slate-700">A new secret replaces this one. The old secret keeps signing for 24 hours, while you switch your receiver; rotating again ends that.</p>
                  )}
                </div>
                <div className="flex flex-wrap items-center gap-2">
                  <Badge tone={endpoint.enabled ? "green" : "red"}>{endpoint.enabled ? "Enabled" : "Disabled"}</Badge>
                  <Button size="sm" variant="secondary" pending={update.isPending && update.variables?.id === endpoint.id} onClick={() => update.mutate({ id: endpoint.id, enabled: !endpoint.enabled })}>
                    {endpoint.enabled ? "Disable" : "Enable"}
                  </Button>
                  {confirming?.id === endpoint.id && confirming.action === "rotate" ? (
                    <>
                      <Button size="sm" variant="danger" pending={rotate.isPending} onClick={() => rotate.mutate({ id: endpoint.id }, { onSuccess: () => setConfirming(null) })}>
                        Rotate now
                      </Button>
                      <Button size="sm" variant="ghost" onClick={() => setConfirming(null)}>Cancel</Button>
                    </>
                  ) : confirming?.id === endpoint.id ? (
                    <>
                      <Button size="sm" variant="danger" pending={remove.isPending} onClick={() => remove.mutate({ id: endpoint.id }, { onSuccess: () => setConfirming(null) })}>
                        Delete endpoint
                      </Button>
                      <Button size="sm" variant="ghost" onClick={() => setConfirming(null)}>Keep</Button>
                    </>
                  ) : (
                    <>
                      <Button size="sm" variant="ghost" aria-label={`Rotate the signing secret of ${endpoint.url}`} onClick={() => setConfirming({ id: endpoint.id, action: "rotate" })}>
                        Rotate secret
                      </Button>
                      <Button size="sm" variant="ghost" aria-label={`Delete ${endpoint.url}`} onClick={() => setConfirming({ id: endpoint.id, action: "delete" })}>
                        Delete
                      </Button>
                    </>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <DeliveryLog />
    </div>
  );
}

function CreateEndpointForm({ onCreated }: { onCreated: () => unknown }) {
  const create = api.webhooks.create.useMutation({ onSuccess: onCreated });
  const [events, setEvents] = useState<WebhookEventType[]>([]);
  const failure = create.error ? describeError(create.error) : null;
  const created = create.data;

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    create.mutate({ url: String(form.get("url") ?? ""), description: String(form.get("description") ?? ""), events });
  }

  return (
    <Card title="Add an endpoint" description="An https URL of yours that answers 2xx within 10 seconds. Failed deliveries are retried for about 3 hours with growing waits.">
      {created && (
        <NewSecretNotice key={created.secret} secret={created.secret} onDone={() => create.reset()}>
          Copy the signing secret now: it is shown only this once. Verify each request&apos;s webhook-signature header with it (any Standard Webhooks library).
        </NewSecretNotice>
      )}
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        <div className="flex flex-wrap items-end gap-3">
          <div className="min-w-64 flex-[2]">
            <Field label="Endpoint URL" error={failure?.fieldErrors.url}>
              {(p) => <Input {...p} name="url" type="url" required maxLength={2000} placeholder="https://hooks.zapier.com/hooks/catch/…" />}
            </Field>
          </div>
          <div className="min-w-48 flex-1">
            <Field label="Description" error={failure?.fieldErrors.description} hint="Optional, e.g. “Zapier: new leads to CRM”.">
              {(p) => <Input {...p} name="description" maxLength={200} />}
            </Field>
          </div>
        </div>
        <fieldset>
          <legend className="text-sm font-medium text-slate-700">Events</legend>
          <div className="mt-2 grid gap-2 sm:grid-cols-2 lg:grid-cols-3">
            {WEBHOOK_EVENT_TYPES.map((type) => (
              <label key={type} className="flex items-start gap-2 text-sm">
                <input
                  type="checkbox"
                  className="mt-1"
                  checked={events.includes(type)}
                  onChange={(event) => setEvents((current) => (event.target.checked ? [...current, type] : current.filter((t) => t !== type)))}
                />
                <span>
                  <span className="font-medium">{WEBHOOK_EVENT_INFO[type].label}</span> <span className="font-mono text-xs text-slate-500">{type}</span>
                  <span className="block text-xs text-slate-500">{WEBHOOK_EVENT_INFO[type].help}</span>
                </span>
              </label>
            ))}
          </div>
          {failure?.fieldErrors.events && <p className="mt-2 text-sm text-red-600">{failure.fieldErrors.events[0]}</p>}
        </fieldset>
        {failure && !failure.fieldErrors.url && !failure.fieldErrors.events && !failure.fieldErrors.description && <Alert tone="error">{failure.message}</Alert>}
        <Button type="submit" pending={create.isPending}>Add endpoint</Button>
      </form>
    </Card>
  );
}

/** A signing secret the server just made, with a copy button: the one time the browser sees it whole. */
function NewSecretNotice({ secret, onDone, testId = "new-webhook-secret", children }: { secret: string; onDone: () => void; testId?: string; children: React.ReactNode }) {
  const { copied, copy } = useClipboard();
  return (
    <div className="mb-4 rounded-md border border-amber-300 bg-amber-50 p-3" role="status" data-testid={testId}>
      <p className="text-sm font-medium text-amber-900">{children}</p>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <code className="break-all rounded bg-white px-2 py-1 font-mono text-xs" aria-label="Signing secret">{secret}</code>
        <Button size="sm" variant="secondary" onClick={() => copy(secret)}>{copied ? "Copied" : "Copy secret"}</Button>
        <Button size="sm" variant="ghost" onClick={onDone}>Done</Button>
      </div>
    </div>
  );
}

function DeliveryLog() {
  // The log moves on its own (the worker sends and retries): read again every few seconds.
  const deliveries = api.webhooks.deliveries.useQuery({ limit: 50 }, { refetchInterval: 4_000 });
  const utils = api.useUtils();
  const replay = api.webhooks.replay.useMutation({ onSettled: () => utils.webhooks.deliveries.invalidate() });
  const rows = deliveries.data ?? [];

  return (
    <Card title="Delivery log" description="The latest 50 deliveries. A replay sends the same message again, with the same id (webhook-id) and body, so receivers can tell it apart from a new event.">
      {replay.error && <Alert tone="error" className="mb-3">{describeError(replay.error).message}</Alert>}
      {deliveries.error && <Alert tone="error" className="mb-3">{describeError(deliveries.error).message}</Alert>}
      {rows.length === 0 ? (
        <p className="text-sm text-slate-500">Nothing sent yet.</p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {rows.map((delivery) => (
            <li key={delivery.id} className="py-2" data-testid="webhook-delivery">
              <details>
                <summary className="flex cursor-pointer flex-wrap items-center gap-x-3 gap-y-1 text-sm">
                  <Badge tone={DELIVERY_BADGE[delivery.status].tone}>{DELIVERY_BADGE[delivery.status].label}</Badge>
                  <span className="font-medium">{eventLabel(delivery.eventType)}</span>
                  <span className="break-all font-mono text-xs text-slate-500">{delivery.endpointUrl}</span>
                  <span className="text-xs text-slate-500">
                    {delivery.attemptCount} attempt{delivery.attemptCount === 1 ? "" : "s"}
                    {delivery.lastResponseStatus !== null ? ` · HTTP ${delivery.lastResponseStatus}` : ""} · <Time value={delivery.occurredAt} relative />
                  </span>
                </summary>
                <div className="mt-2 space-y-2 pl-2">
                  <p className="text-xs text-slate-600">
                    Message id <code className="font-mono">{delivery.id}</code>
                    {delivery.status === "pending" && delivery.nextAttemptAt && <> · next attempt <Time value={delivery.nextAttemptAt} relative /></>}
                  </p>
                  {delivery.lastError && <p className="text-xs text-red-700">{delivery.lastError}</p>}
                  <Button size="sm" variant="secondary" pending={replay.isPending && replay.variables?.id === delivery.id} onClick={() => replay.mutate({ id: delivery.id })}>
                    Replay
                  </Button>
                  {delivery.attempts.length > 0 && (
                    <div className="overflow-x-auto">
                      <table className="w-full text-left text-xs">
                        <thead className="uppercase text-slate-500">
                          <tr>
                            <th className="py-1 pr-3 font-medium">When</th>
                            <th className="py-1 pr-3 font-medium">Kind</th>
                            <th className="py-1 pr-3 font-medium">Status</th>
                            <th className="py-1 pr-3 font-medium">Time</th>
                            <th className="py-1 font-medium">Answer or error</th>
                          </tr>
                        </thead>
                        <tbody className="divide-y divide-slate-100">
                          {delivery.attempts.map((attempt) => (
                            <tr key={attempt.id} data-testid="webhook-attempt">
                              <td className="py-1 pr-3"><Time value={attempt.attemptedAt} /></td>
                              <td className="py-1 pr-3">{attempt.trigger === "replay" ? "Replay" : "Automatic"}</td>
                              <td className="py-1 pr-3">{attempt.responseStatus ?? "—"}</td>
                              <td className="py-1 pr-3">{attempt.durationMs} ms</td>
                              <td className="max-w-md truncate py-1">{attempt.error ?? attempt.responseBody ?? ""}</td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    </div>
                  )}
                  {delivery.payload && <pre className="max-h-64 overflow-auto rounded bg-slate-50 p-2 text-xs">{delivery.payload}</pre>}
                </div>
              </details>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
