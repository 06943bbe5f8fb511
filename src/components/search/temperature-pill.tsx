const STYLES = {
  COLD: "bg-slate-100 text-slate-600",
  WARM: "bg-amber-100 text-amber-800",
  HOT: "bg-orange-100 text-orange-800",
  ON_FIRE: "bg-red-100 text-red-700",
} as const;
const LABELS = { COLD: "Cold", WARM: "Warm", HOT: "Hot", ON_FIRE: "On fire" } as const;

export function TemperaturePill({ temperature, score, factors }: {
  temperature: keyof typeof STYLES;
  score: number;
  factors?: { factor: string; points: number; detail: string }[];
}) {
  const explanation = factors?.map((f) => `${f.points > 0 ? "+" : ""}${f.points} ${f.detail}`).join("\n");
  return temperaturePill(temperature, score, explanation);
}

/** TemperaturePill's element, for a list that draws one per row without a component each. */
export function temperaturePill(temperature: keyof typeof STYLES, score: number, explanation?: string) {
  return (
    <span className={`pill gap-1 ${STYLES[temperature]}`} title={explanation}>
      <span className="tabular-nums">{score}</span>{` ${LABELS[temperature]}`}
    </span>
  );
}
