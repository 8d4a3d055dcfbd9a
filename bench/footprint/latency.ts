/** A request the simulator answered, as GET /__sim/requests lists it. */
export interface AnsweredRequest {
  at: number;
  path: string;
  status: number;
}

/** The device prefix ("energy_site/<id>") a Fleet request is about, or undefined. */
function deviceOf(path: string): string | undefined {
  const site = /\/energy_sites\/(\d+)\//.exec(path);
  if (site?.[1]) return `energy_site/${site[1]}`;
  return undefined;
}

/**
 * For each answer about a site in the window (live_status, site_info, calendar_history), the time
 * until the first MQTT message of that site arrived, if it arrived before the site's next answer:
 * a publish belongs to the latest answer before it. Answers that changed nothing publish nothing
 * and are left out. Both times are wall-clock ms on this machine.
 */
export function publishDelays(requests: readonly AnsweredRequest[], arrivals: ReadonlyMap<string, number[]>, from: number, to: number): number[] {
  const answers = new Map<string, number[]>();
  for (const r of requests) {
    const device = r.status === 200 ? deviceOf(r.path) : undefined;
    if (!device) continue;
    answers.set(device, [...(answers.get(device) ?? []), r.at]);
  }
  const delays: number[] = [];
  for (const [device, times] of answers) {
    const seen = arrivals.get(device) ?? [];
    let j = 0;
    for (let i = 0; i < times.length; i += 1) {
      const at = times[i] as number;
      const next = times[i + 1] ?? Infinity;
      if (at < from || at > to) continue;
      while (j < seen.length && (seen[j] as number) < at) j += 1;
      const arrival = seen[j];
      if (arrival !== undefined && arrival < next) delays.push(arrival - at);
    }
  }
  return delays;
}

export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}
