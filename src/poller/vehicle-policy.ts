import type { VehicleConnection } from '../model/sources.js';
import { at, num, str } from '../model/read.js';

/** What the policy knows about a car at a moment. */
export interface VehicleObservation {
  connection: VehicleConnection;
  data: Record<string, unknown> | undefined;
  dataAt: number | undefined;
  /** When the cheap state call last ran. */
  stateAt: number | undefined;
}

export interface VehicleCadence {
  /** seconds */
  asleepCheck: number;
  onlineIdle: number;
  charging: number;
  driving: number;
}

export type VehiclePollAction = 'state' | 'data';

export interface VehicleDecision {
  action: VehiclePollAction;
  /** When to run it (ms). */
  at: number;
  /** Why, in words for logs and the web page. */
  reason: string;
}

export type VehicleActivity = 'driving' | 'charging' | 'idle';

export function activityOf(data: Record<string, unknown> | undefined): VehicleActivity {
  const shift = str(at(data, 'drive_state.shift_state'));
  if ((shift && shift !== 'P') || (num(at(data, 'drive_state.speed')) ?? 0) > 0) return 'driving';
  const charging = str(at(data, 'charge_state.charging_state'));
  if (charging === 'Charging' || charging === 'Starting') return 'charging';
  return 'idle';
}

/**
 * The next poll of a car: the free state call while it is not online (never vehicle_data,
 * never a wake), vehicle_data by activity when it is. A pure function of what is known.
 */
export function nextVehiclePoll(observation: VehicleObservation, now: number, cadence: VehicleCadence): VehicleDecision {
  const { connection, dataAt, stateAt } = observation;
  if (connection !== 'online') {
    const due = (stateAt ?? 0) + cadence.asleepCheck * 1000;
    return { action: 'state', at: Math.max(now, due), reason: `the car is ${connection}: only the free state check, letting it sleep` };
  }
  if (dataAt === undefined) return { action: 'data', at: now, reason: 'the car is online and no data is known yet' };
  const activity = activityOf(observation.data);
  const every = activity === 'driving' ? cadence.driving : activity === 'charging' ? cadence.charging : cadence.onlineIdle;
  return { action: 'data', at: Math.max(now, dataAt + every * 1000), reason: `the car is ${activity === 'idle' ? 'online and idle' : activity}` };
}
