"use client";

import { EmailList } from "@/components/auth/email-list";
import { Alert } from "@/components/ui/alert";
import { Card, Skeleton } from "@/components/ui/card";
import { api } from "@/trpc/react";

/** The organization's emails (invites) and what became of each: sent, failed, or kept in the outbox. */
export function EmailLog() {
  const emails = api.audit.emails.useQuery({ limit: 20 });
  return (
    <Card
      title="Emails"
      description={
        emails.data && !emails.data.smtpConfigured
          ? "No email server is configured (SMTP_URL), so invites are kept here instead of sent: share their links yourself."
          : "Invites emailed to new teammates, newest first."
      }
    >
      {emails.isPending ? (
        <Skeleton className="h-16 w-full" />
      ) : emails.isError ? (
        <Alert tone="error">{emails.error.message}</Alert>
      ) : (
        <EmailList emails={emails.data.emails} />
      )}
    </Card>
  );
}
