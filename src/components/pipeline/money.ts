/** Deal values on the board: "$1.25M", "$185K", "$950" (whole dollars below $1,000). */
export function formatCompactCents(cents: number): string {
  const dollars = cents / 100;
  const abs = Math.abs(dollars);
  const sign = dollars < 0 ? "-" : "";
  if (abs >= 1_000_000) return `${sign}$${trim(abs / 1_000_000, abs >= 100_000_000 ? 0 : 2)}M`;
  if (abs >= 1_000) return `${sign}$${trim(abs / 1_000, abs >= 100_000 ? 0 : 1)}K`;
  return `${sign}$${Math.round(abs).toLocaleString("en-US")}`;
}

function trim(value: number, digits: number): string {
  const fixed = value.toFixed(digits);
  return fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed;
}
