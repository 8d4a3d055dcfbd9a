/** Plain-text helpers for the bench's tables. */

/** Left-aligns the first column, right-aligns the rest; a rule under the header. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

export function usd(value: number): string {
  return `$${value.toFixed(4)}`;
}

/** Seconds as a whole number, or "—" when there were no samples. */
export function seconds(value: number | null): string {
  return value === null ? '—' : String(Math.round(value));
}

export function pair(a: number | null, b: number | null): string {
  return `${seconds(a)}/${seconds(b)}`;
}

export function ratioText(value: number | null, baselineUsd: number, teslahubUsd: number): string {
  if (value !== null) return `${value.toFixed(2)}×`;
  return baselineUsd === 0 && teslahubUsd === 0 ? 'both $0 (no ratio)' : `teslahub $0, baseline ${usd(baselineUsd)} (no ratio)`;
}

/** Local HH:MM of an instant in a time zone. */
export function localClock(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(at));
}

export function round(value: number | null, digits = 3): number | null {
  if (value === null) return null;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
