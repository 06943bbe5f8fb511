"use client";

import { useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Badge, Card } from "@/components/ui/card";
import { Field, Input, Select } from "@/components/ui/field";
import { useClipboard } from "@/components/shared/use-clipboard";
import { api } from "@/trpc/react";

const ROLES = ["user", "manager", "admin"] as const;
type Role = (typeof ROLES)[number];
const ROLE_HELP: Record<Role, string> = {
  user: "works leads: notes, tags, status, inbox",
  manager: "also searches, skip traces, runs campaigns, imports and exports",
  admin: "also manages users, budgets, kill switches and compliance",
};

const formatDate = (date: Date) => date.toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });

const INVITE_EMAIL_STATUS = {
  sent: "We emailed the link; you can also share it yourself.",
  outbox: "No email server is configured (SMTP_URL), so the email was kept in the outbox: share the link below yourself.",
  failed: "The email could not be sent: share the link below yourself.",
} as const;

export function UsersManager({ currentUserId }: { currentUserId: string }) {
  const [{ members, invites }] = api.users.list.useSuspenseQuery();
  const utils = api.useUtils();
  const refresh = () => utils.users.list.invalidate();
  const changeRole = api.users.changeRole.useMutation({ onSettled: refresh });
  const deactivate = api.users.deactivate.useMutation({ onSettled: refresh });
  const reactivate = api.users.reactivate.useMutation({ onSettled: refresh });
  const revoke = api.users.revokeInvite.useMutation({ onSettled: refresh });
  const memberError = changeRole.error ?? deactivate.error ?? reactivate.error ?? revoke.error;

  return (
    <div className="space-y-6">
      <InviteForm onInvited={refresh} pendingEmails={invites.filter((invite) => invite.status === "pending").map((invite) => invite.email)} />
      <Card title="Members" description={`${members.length} ${members.length === 1 ? "person" : "people"}`}>
        {memberError && <Alert tone="error" className="mb-3">{describeError(memberError).message}</Alert>}
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className="py-2 pr-4 font-medium">Name</th>
                <th className="py-2 pr-4 font-medium">Email</th>
                <th className="py-2 pr-4 font-medium">Role</th>
                <th className="py-2 pr-4 font-medium">Status</th>
                <th className="py-2 font-medium"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {members.map((member) => {
                const self = member.userId === currentUserId;
                return (
                  <tr key={member.userId} data-testid={`member-${member.email}`}>
                    <td className="py-2 pr-4">{member.name ?? "—"}{self && <span className="ml-1 text-xs text-slate-400">(you)</span>}</td>
                    <td className="py-2 pr-4">{member.email}</td>
                    <td className="py-2 pr-4">
                      <Select
                        aria-label={`Role of ${member.email}`}
                        className="w-32 py-1"
                        value={member.role}
                        disabled={self || changeRole.isPending}
                        onChange={(event) => changeRole.mutate({ userId: member.userId, role: event.target.value as Role })}
                      >
                        {ROLES.map((role) => <option key={role} value={role}>{role}</option>)}
                      </Select>
                    </td>
                    <td className="py-2 pr-4">
                      {member.deactivatedAt ? <Badge tone="red">Deactivated</Badge> : <Badge tone="green">Active</Badge>}
                    </td>
                    <td className="py-2 text-right">
                      {!self &&
                        (member.deactivatedAt ? (
                          <Button size="sm" variant="secondary" pending={reactivate.isPending && reactivate.variables?.userId === member.userId} onClick={() => reactivate.mutate({ userId: member.userId })}>
                            Reactivate
                          </Button>
                        ) : (
                          <Button size="sm" variant="secondary" pending={deactivate.isPending && deactivate.variables?.userId === member.userId} onClick={() => deactivate.mutate({ userId: member.userId })}>
                            Deactivate
                          </Button>
                        ))}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </Card>
      <Card title="Pending invites" description="Links stop working when they expire or are revoked.">
        {invites.length === 0 ? (
          <p className="text-sm text-slate-500">No pending invites.</p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {invites.map((invite) => (
              <li key={invite.id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
                <span>
                  <span className="font-medium">{invite.email}</span> as {invite.role} · invited by {invite.invitedBy ?? "—"}
                </span>
                <span className="flex items-center gap-3">
                  {invite.status === "expired" ? <Badge tone="amber">Expired</Badge> : <span className="text-slate-500">expires {formatDate(invite.expiresAt)}</span>}
                  <Button size="sm" variant="ghost" onClick={() => revoke.mutate({ inviteId: invite.id })}>Revoke</Button>
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}

function InviteForm({ onInvited, pendingEmails }: { onInvited: () => void; pendingEmails: string[] }) {
  const invite = api.users.invite.useMutation({ onSuccess: onInvited });
  const { copied, copy, reset: resetCopied } = useClipboard();
  const [email, setEmail] = useState("");
  const failure = invite.error ? describeError(invite.error) : null;
  // Inviting an address that has a pending invite replaces it: say so before and after.
  const replacesPending = pendingEmails.includes(email.trim().toLowerCase());

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    resetCopied();
    invite.mutate({ email: String(form.get("email") ?? ""), role: String(form.get("role")) as Role });
  }

  return (
    <Card title="Invite a teammate" description="We create a sign-up link for them; send it by your usual channel.">
      <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" noValidate>
        <div className="min-w-64 flex-1">
          <Field
            label="Email"
            error={failure?.fieldErrors.email}
            hint={replacesPending ? "This address has a pending invite: a new link replaces it, and the earlier link stops working." : undefined}
          >
            {(p) => <Input {...p} name="email" type="email" placeholder="teammate@example.com" required value={email} onChange={(event) => setEmail(event.target.value)} />}
          </Field>
        </div>
        <div className="w-40">
          <Field label="Role">
            {(p) => (
              <Select {...p} name="role" defaultValue="user">
                {ROLES.map((role) => <option key={role} value={role}>{role}</option>)}
              </Select>
            )}
          </Field>
        </div>
        <Button type="submit" pending={invite.isPending}>{replacesPending ? "Replace invite link" : "Create invite link"}</Button>
      </form>
      <p className="mt-2 text-xs text-slate-500">
        user: {ROLE_HELP.user}; manager: {ROLE_HELP.manager}; admin: {ROLE_HELP.admin}.
      </p>
      {failure && Object.keys(failure.fieldErrors).length === 0 && <Alert tone="error" className="mt-3">{failure.message}</Alert>}
      {invite.data && (
        <div className="mt-4 space-y-2">
          <Alert tone="success">
            Invite created. It expires {formatDate(invite.data.expiresAt)}.{" "}
            <span data-testid="invite-email-status">{INVITE_EMAIL_STATUS[invite.data.email.status]}</span>
            {invite.data.replacedInvites > 0 && (
              <> It replaces the earlier invite to this address: that link no longer works (recorded in the audit log).</>
            )}
          </Alert>
          <div className="flex gap-2">
            <Input readOnly value={invite.data.inviteUrl} aria-label="Invite link" data-testid="invite-link" onFocus={(e) => e.currentTarget.select()} />
            <Button
              type="button"
              variant="secondary"
              onClick={() => copy(invite.data!.inviteUrl)}
            >
              {copied ? "Copied" : "Copy"}
            </Button>
          </div>
        </div>
      )}
    </Card>
  );
}
