/** Small number formatting for reason messages (the UI formats its own figures). */
export function fmt(n: number, digits = 1): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  return Number(n.toFixed(digits)).toString();
}

export function pct(ratio: number): string {
  return `${fmt(ratio * 100, 2)} %`;
}
