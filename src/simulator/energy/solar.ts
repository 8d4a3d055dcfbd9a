import type { LatLon } from '../util/geo.js';

/**
 * A clear-day solar curve: zero before sunrise and after sunset, the configured peak at solar
 * noon. Sunrise and sunset come from the site's latitude and the sun's declination on that day,
 * so winter days are short and summer days long (the equation of time, ±16 min, is ignored).
 */

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const rad = (deg: number): number => (deg * Math.PI) / 180;

export interface SunTimes {
  sunrise: number;
  noon: number;
  sunset: number;
}

/** Sun times of the solar day nearest to `t`. */
export function sunTimes(location: LatLon, t: number): SunTimes {
  const noonOffset = (12 - location.lon / 15) * HOUR_MS;
  const day = Math.round((t - noonOffset) / DAY_MS);
  const noon = day * DAY_MS + noonOffset;
  const start = Date.UTC(new Date(noon).getUTCFullYear(), 0, 1);
  const dayOfYear = Math.floor((noon - start) / DAY_MS) + 1;
  const declination = rad(23.44) * Math.sin((2 * Math.PI * (dayOfYear - 81)) / 365);
  const cosHourAngle = Math.max(-1, Math.min(1, -Math.tan(rad(location.lat)) * Math.tan(declination)));
  const halfDay = (Math.acos(cosHourAngle) / Math.PI) * 12 * HOUR_MS;
  return { sunrise: noon - halfDay, noon, sunset: noon + halfDay };
}

/** Solar production available at `t`, W (before any curtailment). */
export function solarPowerW(peakKw: number, factor: number, location: LatLon, t: number): number {
  if (peakKw <= 0 || factor <= 0) return 0;
  const { sunrise, noon, sunset } = sunTimes(location, t);
  if (t <= sunrise || t >= sunset) return 0;
  const x = (t - noon) / (noon - sunrise);
  return peakKw * 1000 * factor * Math.cos((Math.PI / 2) * x) ** 1.4;
}
