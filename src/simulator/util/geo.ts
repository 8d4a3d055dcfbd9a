/** Small-distance geometry on the WGS84 sphere, enough to move a simulated car around town. */

export interface LatLon {
  lat: number;
  lon: number;
}

const EARTH_RADIUS_MILES = 3958.8;
const rad = (deg: number): number => (deg * Math.PI) / 180;

export function distanceMiles(a: LatLon, b: LatLon): number {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_MILES * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Compass heading from a to b in whole degrees (0 = north, 90 = east). */
export function headingDegrees(a: LatLon, b: LatLon): number {
  const y = Math.sin(rad(b.lon - a.lon)) * Math.cos(rad(b.lat));
  const x = Math.cos(rad(a.lat)) * Math.sin(rad(b.lat)) - Math.sin(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.cos(rad(b.lon - a.lon));
  const deg = (Math.atan2(y, x) * 180) / Math.PI;
  return Math.round((deg + 360) % 360);
}

/** The point a fraction of the way from a to b (straight in lat/lon: fine over a few dozen miles). */
export function interpolate(a: LatLon, b: LatLon, fraction: number): LatLon {
  const f = Math.min(1, Math.max(0, fraction));
  return { lat: a.lat + (b.lat - a.lat) * f, lon: a.lon + (b.lon - a.lon) * f };
}

/** A point `miles` away from `from` towards `headingDeg`. */
export function offsetPoint(from: LatLon, miles: number, headingDeg: number): LatLon {
  const d = miles / EARTH_RADIUS_MILES;
  const lat = from.lat + (d * Math.cos(rad(headingDeg)) * 180) / Math.PI;
  const lon = from.lon + (((d * Math.sin(rad(headingDeg))) / Math.cos(rad(from.lat))) * 180) / Math.PI;
  return { lat, lon };
}
