"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { describeError } from "@/components/shared/trpc-error";
import { Modal } from "@/components/skip-trace/skip-trace-modal";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { formatCents } from "@/lib/money";
import { api } from "@/trpc/react";
import { type Campaign } from "./labels";
import { formatInZone } from "./zoned-time";
import { plural } from "@/components/shared/format";

type Action = "launch" | "pause" | "resume" | "cancel" | "delete";

/** Launch / pause / resume / cancel (and delete a draft), as the campaign's status allows. */
export function CampaignActions({ campaign, dirty }: { campaign: Campaign; dirty: boolean }) {
  const router = useRouter();
  const utils = api.useUtils();
  const [confirming, setConfirming] = useState<Action | null>(null);
  const refresh = () => Promise.all([utils.campaigns.get.invalidate({ id: campaign.id }), utils.campaigns.stats.invalidate({ id: campaign.id }), utils.campaigns.recipients.invalidate({ id: campaign.id }), utils.campaigns.list.invalidate()]);
  const done = { onSuccess: async () => (setConfirming(null), await refresh()) };
  const launch = api.campaigns.launch.useMutation(done);
  const pause = api.campaigns.pause.useMutation(done);
  const resume = api.campaigns.resume.useMutation(done);
  const cancel = api.campaigns.cancel.useMutation(done);
  const remove = api.campaigns.delete.useMutation({
    onSuccess: async () => {
      await utils.campaigns.list.invalidate();
      router.push("/campaigns");
    },
  });
  const mutations = { launch, pause, resume, cancel, delete: remove };
  const failed = Object.values(mutations).find((m) => m.error);
  const { status } = campaign;
  const id = { id: campaign.id };

  const preflight = campaign.preflight;
  const launchBlockedBy = dirty
    ? "Save your changes first."
    : !preflight
      ? "Run the pre-flight first."
      : !campaign.preflightFresh
        ? "The pre-flight is out of date: run it again."
        : preflight.eligible + preflight.deferred === 0
          ? "Nobody in the audience can be texted."
          : null;

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Campaign actions">
        {status === "draft" && (
          <>
            <Button type="button" disabled={!!launchBlockedBy} title={launchBlockedBy ?? undefined} onClick={() => (launch.reset(), setConfirming("launch"))}>
              Launch
            </Button>
            <Button type="button" variant="ghost" onClick={() => (remove.reset(), setConfirming("delete"))}>
              Delete draft
            </Button>
          </>
        )}
        {(status === "running" || status === "scheduled" || status === "halted") && (
          <Button type="button" variant="secondary" pending={pause.isPending} onClick={() => pause.mutate(id)}>
            Pause
          </Button>
        )}
        {(status === "paused" || status === "halted") && (
          <Button type="button" pending={resume.isPending} onClick={() => resume.mutate(id)}>
            Resume
          </Button>
        )}
        {(status === "running" || status === "scheduled" || status === "paused" || status === "halted") && (
          <Button type="button" variant="danger" onClick={() => (cancel.reset(), setConfirming("cancel"))}>
            Cancel campaign
          </Button>
        )}
      </div>
      {status === "draft" && launchBlockedBy && <p className="text-xs text-slate-500" data-testid="launch-blocked">{launchBlockedBy}</p>}
      {failed && !confirming && <Alert tone="error">{describeError(failed.error).message}</Alert>}

      {confirming === "launch" && preflight && (
        <Modal
          open
          onClose={() => setConfirming(null)}
          testId="confirm-launch"
          title={`Launch “${campaign.name}”?`}
          description="Its recipients are frozen now: leads added to the audience later are not texted."
          footer={
            <>
              <Button type="button" variant="secondary" onClick={() => setConfirming(null)}>
                Not yet
              </Button>
              <Button type="button" pending={launch.isPending} onClick={() => launch.mutate(id)}>
                {campaign.scheduledAt ? "Schedule" : "Launch now"}
              </Button>
            </>
          }
        >
          <ul className="list-disc space-y-1 pl-5 text-sm text-slate-700">
            <li>
              {plural(preflight.eligible, "recipient")} texted {campaign.scheduledAt ? `from ${formatInZone(campaign.scheduledAt, campaign.timeZone)}` : "right away"}, at most{" "}
              {plural(campaign.ratePerSecond, "message")} per second.
            </li>
            {preflight.deferred > 0 && <li>{plural(preflight.deferred, "recipient")} texted later, when their allowed hours begin.</li>}
            {preflight.excluded > 0 && <li>{plural(preflight.excluded, "phone")} excluded.</li>}
            <li>
              About {formatCents(preflight.estimatedCostCents)} for {plural(preflight.segments.total, "segment")}.
              {!preflight.budget.fits && " That is more than today's SMS budget: sending stops at the cap and resumes tomorrow."}
            </li>
            <li>Every text is checked again right before it is sent; a STOP, pause or kill switch stops the next one.</li>
          </ul>
          {launch.error && <Alert tone="error">{describeError(launch.error).message}</Alert>}
        </Modal>
      )}
      {confirming === "cancel" && (
        <Modal
          open
          onClose={() => setConfirming(null)}
          testId="confirm-cancel"
          title={`Cancel “${campaign.name}”?`}
          description="Recipients who have not been texted yet will not be. This can't be undone; texts already sent stay sent."
          footer={
            <>
              <Button type="button" variant="secondary" onClick={() => setConfirming(null)}>
                Keep it
              </Button>
              <Button type="button" variant="danger" pending={cancel.isPending} onClick={() => cancel.mutate(id)}>
                Cancel campaign
              </Button>
            </>
          }
        >
          {cancel.error ? <Alert tone="error">{describeError(cancel.error).message}</Alert> : <p className="text-sm text-slate-600">Replies keep arriving in the inbox.</p>}
        </Modal>
      )}
      {confirming === "delete" && (
        <Modal
          open
          onClose={() => setConfirming(null)}
          testId="confirm-delete"
          title={`Delete the draft “${campaign.name}”?`}
          description="Nothing has been sent from it. Its message and settings are removed."
          footer={
            <>
              <Button type="button" variant="secondary" onClick={() => setConfirming(null)}>
                Keep it
              </Button>
              <Button type="button" variant="danger" pending={remove.isPending} onClick={() => remove.mutate(id)}>
                Delete draft
              </Button>
            </>
          }
        >
          {remove.error ? <Alert tone="error">{describeError(remove.error).message}</Alert> : <p className="text-sm text-slate-600">Saved filters and leads are not affected.</p>}
        </Modal>
      )}
    </div>
  );
}
