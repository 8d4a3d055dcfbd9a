import { hash32 } from '../util/random.js';
import type { Vehicle } from './vehicle.js';

export const INSTALL_MS = 25 * 60_000;

/** Download finishes → available; scheduled time → installing (the car wakes for it); install done → new version. */
export function softwareTransitions(v: Vehicle, now: number): void {
  const sw = v.state.software;
  if (sw.status === 'downloading' && sw.phaseEndsAt !== null && now >= sw.phaseEndsAt) {
    sw.status = 'available';
    sw.phaseEndsAt = null;
  }
  if (sw.status === 'scheduled' && sw.scheduledAt !== null && now >= sw.scheduledAt && v.state.trip === null) {
    sw.status = 'installing';
    sw.scheduledAt = null;
    sw.phaseStart = now;
    sw.phaseEndsAt = now + INSTALL_MS;
    v.wakeNow(now);
  }
  if (sw.status === 'installing' && sw.phaseEndsAt !== null && now >= sw.phaseEndsAt) {
    const build = hash32(v.seed, now / 1000)
      .toString(16)
      .padStart(8, '0');
    v.state.carVersion = `${sw.version} ${build}abcd`;
    sw.status = '';
    sw.version = '';
    sw.phaseEndsAt = null;
    v.wakeNow(now);
  }
}

/** Download or install progress, 0–100, at `now`. */
export function softwareProgress(v: Vehicle, now: number): number {
  const sw = v.state.software;
  if (sw.phaseEndsAt === null) return sw.status === 'available' || sw.status === 'scheduled' ? 100 : 0;
  const share = (now - sw.phaseStart) / Math.max(1, sw.phaseEndsAt - sw.phaseStart);
  return Math.max(0, Math.min(100, Math.floor(share * 100)));
}
