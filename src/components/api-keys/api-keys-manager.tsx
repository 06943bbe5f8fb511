"use client";

import Link from "next/link";
import { useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Time } from "@/components/shared/time";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Badge, Card } from "@/components/ui/card";
import { Field, Input, Select } from "@/components/ui/field";
import { API_CAPABILITIES, API_CAPABILITY_NAMES, type ApiCapability } from "@/lib/api-scopes";
import { useClipboard } from "@/components/shared/use-clipboard";
import { api } from "@/trpc/react";

type Access = "none" | "read" | "write";

const EXPIRY_CHOICES = [
  { label: "Never (until revoked)", days: null },
  { label: "30 days", days: 30 },
  { label: "90 days", days: 90 },
  { label: "1 year", days: 365 },
] as const;

/** The scopes of a capability at an access level ("write" includes "read" where the capability has both). */
function scopesFor(capability: ApiCapability, access: Access): string[] {
  if (access === "none") return [];
  const offered: readonly string[] = API_CAPABILITIES[capability].access;
  return offered.filter((level) => level === access || (access === "write" && level === "read")).map((level) => `${capability}:${level}`);
}

function accessChoices(capability: ApiCapability): { value: Access; label: string }[] {
  const offered: readonly string[] = API_CAPABILITIES[capability].access;
  return [
    { value: "none", label: "No access" },
    ...(offered.includes("read") ? [{ value: "read" as const, label: "Read" }] : []),
    ...(offered.includes("write") ? [{ value: "write" as const, label: offered.includes("read") ? "Read and write" : "Write" }] : []),
  ];
}

const STATUS_BADGE = { active: { tone: "green", label: "Active" }, expired: { tone: "amber", label: "Expired" }, revoked: { tone: "red", label: "Revoked" } } as const;

export function ApiKeysManager() {
  const [keys] = api.apiKeys.list.useSuspenseQuery();
  const utils = api.useUtils();
  const refresh = () => utils.apiKeys.list.invalidate();
  const revoke = api.apiKeys.revoke.useMutation({ onSettled: refresh });
  const [confirming, setConfirming] = useState<string | null>(null);

  return (
    <div className="space-y-6">
      <CreateKeyForm onCreated={refresh} />
      <Card
        title="Keys"
        description="A key works in this organization only, with its scopes, as the admin who created it. Revoking stops it on its next request."
        actions={<Link href="/settings/api-keys/reference" className="text-sm font-medium text-brand-700 hover:underline">API reference</Link>}
      >
        {revoke.error && <Alert tone="error" className="mb-3">{describeError(revoke.error).message}</Alert>}
        {keys.length === 0 ? (
          <p className="text-sm text-slate-500">No API keys yet.</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th className="py-2 pr-4 font-medium">Name</th>
                  <th className="py-2 pr-4 font-medium">Key</th>
                  <th className="py-2 pr-4 font-medium">Scopes</th>
                  <th className="py-2 pr-4 font-medium">Limit</th>
                  <th className="py-2 pr-4 font-medium">Last used</th>
                  <th className="py-2 pr-4 font-medium">Expires</th>
                  <th className="py-2 pr-4 font-medium">Status</th>
                  <th className="py-2 font-medium"><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {keys.map((key) => (
                  <tr key={key.id} data-testid={`api-key-${key.name}`}>
                    <td className="py-2 pr-4">
                      <span className="font-medium">{key.name}</span>
                      <span className="block text-xs text-slate-500">
                        by {key.createdBy?.name ?? key.createdBy?.email ?? "a former member"}, <Time value={key.createdAt} />
                      </span>
                    </td>
                    <td className="py-2 pr-4 font-mono text-xs">{key.prefix}_…</td>
                    <td className="py-2 pr-4 text-xs">{key.scopes.join(", ")}</td>
                    <td className="py-2 pr-4 text-xs">{key.rateLimitPerMinute}/min</td>
                    <td className="py-2 pr-4 text-xs">{key.lastUsedAt ? <Time value={key.lastUsedAt} relative /> : "Never"}</td>
                    <td className="py-2 pr-4 text-xs">{key.expiresAt ? <Time value={key.expiresAt} /> : "Never"}</td>
                    <td className="py-2 pr-4"><Badge tone={STATUS_BADGE[key.status].tone}>{STATUS_BADGE[key.status].label}</Badge></td>
                    <td className="py-2 text-right">
                      {key.status !== "revoked" &&
                        (confirming === key.id ? (
                          <span className="flex justify-end gap-2">
                            <Button size="sm" variant="danger" pending={revoke.isPending} onClick={() => revoke.mutate({ id: key.id }, { onSuccess: () => setConfirming(null) })}>
                              Revoke {key.name}
                            </Button>
                            <Button size="sm" variant="ghost" onClick={() => setConfirming(null)}>Keep</Button>
                          </span>
                        ) : (
                          <Button size="sm" variant="secondary" onClick={() => setConfirming(key.id)}>Revoke</Button>
                        ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}

function CreateKeyForm({ onCreated }: { onCreated: () => void }) {
  const create = api.apiKeys.create.useMutation({ onSuccess: onCreated });
  const [access, setAccess] = useState<Record<ApiCapability, Access>>(() => Object.fromEntries(API_CAPABILITY_NAMES.map((name) => [name, "none"])) as Record<ApiCapability, Access>);
  const { copied, copy, reset: resetCopied } = useClipboard();
  const failure = create.error ? describeError(create.error) : null;
  const created = create.data;

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const days = String(form.get("expiry") ?? "");
    resetCopied();
    create.mutate({
      name: String(form.get("name") ?? ""),
      scopes: API_CAPABILITY_NAMES.flatMap((name) => scopesFor(name, access[name])),
      expiresInDays: days ? Number(days) : null,
      rateLimitPerMinute: Number(form.get("rateLimitPerMinute") || 120),
    });
  }

  return (
    <Card title="Create an API key" description="For an integration (Zapier, a CRM, your own scripts). Give it only the scopes it needs.">
      {created && (
        <div className="mb-4 rounded-md border border-amber-300 bg-amber-50 p-3" data-testid="new-api-key">
          <p className="text-sm font-medium text-amber-900">Copy the key for “{created.apiKey.name}” now: it is shown only this once and cannot be shown again.</p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <code className="break-all rounded bg-white px-2 py-1 font-mono text-xs" aria-label="New API key">{created.key}</code>
            <Button size="sm" variant="secondary" onClick={() => copy(created.key)}>{copied ? "Copied" : "Copy key"}</Button>
            <Button size="sm" variant="ghost" onClick={() => create.reset()}>Done</Button>
          </div>
        </div>
      )}
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        <div className="flex flex-wrap items-end gap-3">
          <div className="min-w-64 flex-1">
            <Field label="Name" error={failure?.fieldErrors.name} hint="What will use it, e.g. “Zapier”.">
              {(p) => <Input {...p} name="name" required maxLength={80} placeholder="Zapier" />}
            </Field>
          </div>
          <div className="w-48">
            <Field label="Expires">
              {(p) => (
                <Select {...p} name="expiry" defaultValue="">
                  {EXPIRY_CHOICES.map((choice) => <option key={choice.label} value={choice.days ?? ""}>{choice.label}</option>)}
                </Select>
              )}
            </Field>
          </div>
          <div className="w-48">
            <Field label="Requests per minute" error={failure?.fieldErrors.rateLimitPerMinute} hint="Beyond it: 429 with Retry-After.">
              {(p) => <Input {...p} name="rateLimitPerMinute" type="number" min={1} max={10000} defaultValue={120} />}
            </Field>
          </div>
        </div>
        <fieldset>
          <legend className="text-sm font-medium text-slate-700">Scopes</legend>
          <div className="mt-2 grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
            {API_CAPABILITY_NAMES.map((name) => (
              <Field key={name} label={API_CAPABILITIES[name].label} hint={API_CAPABILITIES[name].help}>
                {(p) => (
                  <Select {...p} value={access[name]} onChange={(event) => setAccess((current) => ({ ...current, [name]: event.target.value as Access }))}>
                    {accessChoices(name).map((choice) => <option key={choice.value} value={choice.value}>{choice.label}</option>)}
                  </Select>
                )}
              </Field>
            ))}
          </div>
          {failure?.fieldErrors.scopes && <p className="mt-2 text-sm text-red-600">{failure.fieldErrors.scopes[0]}</p>}
        </fieldset>
        {failure && !failure.fieldErrors.name && !failure.fieldErrors.scopes && !failure.fieldErrors.rateLimitPerMinute && <Alert tone="error">{failure.message}</Alert>}
        <Button type="submit" pending={create.isPending}>Create key</Button>
      </form>
    </Card>
  );
}
