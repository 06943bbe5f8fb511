import { cn } from "./cn";

export type JobTone = "active" | "pending" | "done" | "stopped" | "failed";

const BAR = { active: "bg-brand-600", pending: "bg-brand-600 animate-pulse", done: "bg-emerald-500", stopped: "bg-amber-500", failed: "bg-red-500" } as const;

/** A background job's progress: a labelled, accessible bar with "done of total · percent". */
export function JobProgressBar({ id, label, done, total, unit, tone, testId }: {
  id: string;
  label: string;
  done: number;
  total: number;
  unit: [singular: string, plural: string];
  tone: JobTone;
  testId: string;
}) {
  const percent = total === 0 ? 100 : Math.min(100, Math.floor((done / total) * 100));
  const count = (n: number) => n.toLocaleString("en-US");
  return (
    <div className="space-y-1.5">
      <div className="flex items-baseline justify-between text-sm">
        <span id={`progress-${id}`} className="font-medium text-slate-700">{label}</span>
        <span className="tabular-nums text-slate-600" data-testid={testId}>
          {count(done)} of {count(total)} · {percent}%
        </span>
      </div>
      <div
        role="progressbar"
        aria-labelledby={`progress-${id}`}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        aria-valuetext={`${count(done)} of ${count(total)} ${total === 1 ? unit[0] : unit[1]}`}
        className="h-2.5 overflow-hidden rounded-full bg-slate-200"
      >
        <div className={cn("h-full rounded-full transition-[width] duration-500", BAR[tone])} style={{ width: `${tone === "pending" ? Math.max(percent, 2) : percent}%` }} />
      </div>
    </div>
  );
}

export type CountTile = { label: string; value: number; tone?: string; testId: string };

/** Live counters of a job, announced politely as they change. */
export function CountTiles({ tiles, className }: { tiles: CountTile[]; className?: string }) {
  return (
    <dl className={cn("grid gap-3", className)} aria-live="polite">
      {tiles.map((tile) => (
        <div key={tile.label} className="rounded-md border border-slate-200 px-3 py-2">
          <dt className="text-xs font-medium uppercase text-slate-500">{tile.label}</dt>
          <dd className={cn("text-2xl font-semibold tabular-nums", tile.tone ?? "text-slate-700")} data-testid={tile.testId}>
            {tile.value.toLocaleString("en-US")}
          </dd>
        </div>
      ))}
    </dl>
  );
}
