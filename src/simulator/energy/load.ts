import { valueNoise } from '../util/random.js';

/** A home's consumption through the day: base load, a morning and an evening peak, and slow noise. */
export interface LoadProfile {
  baseW: number;
  morningW: number;
  eveningW: number;
  /** Relative amplitude of the noise (0.15 = ±15 %). */
  noise: number;
}

const bump = (hour: number, center: number, width: number): number => Math.exp(-(((hour - center) / width) ** 2) / 2);
/** The noise changes over about ten minutes, like appliances switching. */
const NOISE_PERIOD_MS = 10 * 60_000;

/** Home load at local `hour` (0–24) and instant `t`, W; the same seed and time always give the same value. */
export function homeLoadW(profile: LoadProfile, hour: number, seed: number, t: number): number {
  const shape =
    profile.baseW + profile.morningW * bump(hour, 7.5, 1) + 0.25 * profile.morningW * bump(hour, 12.5, 1.2) + profile.eveningW * bump(hour, 19, 1.6);
  const factor = 1 + profile.noise * valueNoise(seed, t / NOISE_PERIOD_MS);
  return Math.max(50, shape * factor);
}
