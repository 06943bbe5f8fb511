"use client";

import { signOut } from "next-auth/react";
import { describeError } from "@/components/shared/trpc-error";
import { Time } from "@/components/shared/time";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Badge, Card } from "@/components/ui/card";
import { api } from "@/trpc/react";
import { deviceName } from "./device-name";

/** The browsers signed in to this account, each revocable, and "sign out everywhere". */
export function SessionsManager() {
  const [{ sessions }] = api.account.sessions.useSuspenseQuery();
  const utils = api.useUtils();
  const revoke = api.account.revokeSession.useMutation({ onSettled: () => utils.account.sessions.invalidate() });
  const everywhere = api.account.signOutEverywhere.useMutation({
    // This session ended too: clear its cookie and go to sign-in.
    onSuccess: () => signOut({ callbackUrl: "/sign-in" }),
  });
  const error = revoke.error ?? everywhere.error;

  return (
    <Card
      title="Signed-in devices"
      description="Sessions end after 12 hours without activity, and after 30 days in any case. Revoke any you do not recognise."
      actions={
        <Button variant="danger" size="sm" pending={everywhere.isPending || everywhere.isSuccess} onClick={() => everywhere.mutate()}>
          Sign out everywhere
        </Button>
      }
    >
      {error && <Alert tone="error" className="mb-3">{describeError(error).message}</Alert>}
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase text-slate-500">
            <tr>
              <th className="py-2 pr-4 font-medium">Device</th>
              <th className="py-2 pr-4 font-medium">IP address</th>
              <th className="py-2 pr-4 font-medium">Signed in</th>
              <th className="py-2 pr-4 font-medium">Last active</th>
              <th className="py-2 font-medium"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {sessions.map((session) => (
              <tr key={session.id} data-testid="session-row" data-current={session.current || undefined}>
                <td className="py-2 pr-4">
                  <span title={session.userAgent ?? undefined}>{deviceName(session.userAgent)}</span>
                  {session.current && <span className="ml-2"><Badge tone="green">This device</Badge></span>}
                </td>
                <td className="py-2 pr-4 font-mono text-xs">{session.ip ?? "—"}</td>
                <td className="py-2 pr-4"><Time value={session.createdAt} /></td>
                <td className="py-2 pr-4"><Time value={session.lastSeenAt} relative /></td>
                <td className="py-2 text-right">
                  {session.current ? (
                    <Button size="sm" variant="secondary" onClick={() => signOut({ callbackUrl: "/sign-in" })}>
                      Sign out
                    </Button>
                  ) : (
                    <Button
                      size="sm"
                      variant="secondary"
                      pending={revoke.isPending && revoke.variables?.sessionId === session.id}
                      onClick={() => revoke.mutate({ sessionId: session.id })}
                    >
                      Revoke
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}
