import { headingDegrees, interpolate, type LatLon } from '../util/geo.js';
import { valueNoise } from '../util/random.js';
import { unplug } from './charging.js';
import type { Vehicle, VehicleEnv } from './vehicle.js';

export interface DrivePlan {
  durationMs: number;
  miles: number;
  to: LatLon;
  name: string;
}

/** Starts a scripted drive: unplugs, wakes, closes up, and sets the route to the destination. */
export function startDrive(v: Vehicle, now: number, plan: DrivePlan, env: VehicleEnv): void {
  const s = v.state;
  if (s.trip) finishDrive(v, now);
  if (s.plug) unplug(v, now, env);
  v.wakeNow(now);
  for (const key of Object.keys(s.doors) as (keyof typeof s.doors)[]) s.doors[key] = false;
  s.locked = true;
  s.route = null;
  s.trip = { from: { ...s.location }, to: { ...plan.to }, name: plan.name, startAt: now, endAt: now + Math.max(60_000, plan.durationMs), miles: plan.miles };
  // The driver stays in the car a minute after parking.
  s.userPresentUntil = s.trip.endAt + 60_000;
  s.heading = headingDegrees(s.trip.from, s.trip.to);
  s.speed = 0;
}

/** Moves the car along its trip for `dtMs` from `t`: position, odometer, battery, speed and power. */
export function driveStep(v: Vehicle, t: number, dtMs: number): void {
  const s = v.state;
  const trip = s.trip;
  if (!trip) return;
  const duration = trip.endAt - trip.startAt;
  const miles = (trip.miles * dtMs) / duration;
  s.odometer += miles;
  s.energyKwh = Math.max(0, s.energyKwh - (miles * v.whPerMile) / 1000);
  s.location = interpolate(trip.from, trip.to, (t + dtMs - trip.startAt) / duration);
  const averageMph = trip.miles / (duration / 3_600_000);
  s.speed = Math.max(3, Math.round(averageMph * (1 + 0.25 * valueNoise(v.seed, t / 30_000))));
  s.drivePowerKw = Math.round(((s.speed * v.whPerMile) / 1000) * (1 + 0.4 * valueNoise(v.seed + 1, t / 20_000)));
}

export function finishDrive(v: Vehicle, now: number): void {
  const s = v.state;
  if (!s.trip) return;
  s.location = { ...s.trip.to };
  s.trip = null;
  s.speed = null;
  s.drivePowerKw = 0;
  s.idleSince = Math.max(s.idleSince, now);
}
