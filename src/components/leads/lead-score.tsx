import { TemperaturePill } from "@/components/search/temperature-pill";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import type { LeadDetail } from "./labels";

const FACTOR_LABELS: Record<string, string> = {
  base: "Base",
  equity: "Equity",
  absentee_owner: "Absentee owner",
  corporate_owner: "Company owner",
  years_owned: "Years owned",
  appreciation: "Appreciation",
  vacant: "Vacant",
  replied: "Replied",
};

/** The points of every factor, as bars on the 0–100 scale that add up to the score. */
export function LeadScore({ lead }: { lead: LeadDetail }) {
  const sum = lead.scoreFactors.reduce((total, f) => total + f.points, 0);
  return (
    <Card title="Score" actions={<TemperaturePill temperature={lead.temperature} score={lead.score} />}>
      {lead.scoreFactors.length === 0 ? (
        <p className="text-sm text-slate-500">No explanation recorded for this score.</p>
      ) : (
        <>
          <div className="mb-3 flex h-2.5 overflow-hidden rounded-full bg-slate-100" aria-hidden>
            {lead.scoreFactors
              .filter((f) => f.points > 0)
              .map((f, i) => (
                <span key={f.factor} className={cn("h-full", i % 2 === 0 ? "bg-brand-500" : "bg-brand-600/70")} style={{ width: `${Math.min(100, f.points)}%` }} />
              ))}
          </div>
          <ul className="space-y-2" aria-label="Score factors">
            {lead.scoreFactors.map((f) => (
              <li key={f.factor} className="text-sm">
                <div className="flex items-baseline justify-between gap-2">
                  <span className="font-medium text-slate-800">{FACTOR_LABELS[f.factor] ?? f.factor.replace(/_/g, " ")}</span>
                  <span className={cn("tabular-nums font-medium", f.points < 0 ? "text-red-600" : "text-slate-900")}>
                    {f.points > 0 ? "+" : ""}
                    {f.points}
                  </span>
                </div>
                <div className="mt-1 h-1.5 rounded-full bg-slate-100" aria-hidden>
                  <div className={cn("h-full rounded-full", f.points < 0 ? "bg-red-400" : "bg-brand-500")} style={{ width: `${Math.min(100, Math.abs(f.points))}%` }} />
                </div>
                <p className="mt-0.5 text-xs text-slate-500">{f.detail}</p>
              </li>
            ))}
          </ul>
          <p className="mt-3 flex justify-between border-t border-slate-100 pt-2 text-sm font-semibold">
            <span>Score</span>
            <span className="tabular-nums">
              {lead.score}
              {sum !== lead.score && <span className="ml-1 text-xs font-normal text-slate-500">({sum} capped to 0–100)</span>}
            </span>
          </p>
        </>
      )}
    </Card>
  );
}
