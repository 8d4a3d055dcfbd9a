import type { HttpRequest } from '../../src/fleet/transport.js';
import type { SimRequest, Simulator } from '../../src/simulator/index.js';
import { carActivity, type CarActivity } from './observer.js';

const VEHICLE_PATH = /\/api\/1\/vehicles\/([^/?]+)/;

export type BilledByActivity = Record<CarActivity | 'unknown', number>;

/**
 * Remembers what each car was doing (simulator truth) when a policy's request for it left, so the
 * bill can be split by the car's state: which calls bought fresh data of a moving or charging
 * car, and which were spent on an idle or sleeping one. The clock does not move while a request
 * is on the wire, so the request's instant is also the instant the simulator logs for it.
 */
export class RequestStates {
  private readonly sim: Simulator;
  private readonly states = new Map<string, CarActivity>();

  constructor(sim: Simulator) {
    this.sim = sim;
  }

  note(request: HttpRequest): void {
    const match = VEHICLE_PATH.exec(new URL(request.url).pathname);
    const tag = match?.[1] ? decodeURIComponent(match[1]) : undefined;
    if (tag === undefined || tag === 'fleet_status') return;
    const now = this.sim.clock.now();
    // The simulator does the same on arrival; doing it first changes nothing but lets us look.
    this.sim.world.advanceTo(now);
    const vehicle = this.sim.world.vehicle(tag);
    if (vehicle) this.states.set(`${vehicle.vin}@${now}`, carActivity(vehicle));
  }

  activityOf(request: SimRequest): CarActivity | 'unknown' {
    if (request.vin === undefined) return 'unknown';
    return this.states.get(`${request.vin}@${request.at}`) ?? 'unknown';
  }

  billedByActivity(billed: readonly SimRequest[]): BilledByActivity {
    const out: BilledByActivity = { asleep: 0, idle: 0, charging: 0, driving: 0, unknown: 0 };
    for (const request of billed) out[this.activityOf(request)] += 1;
    return out;
  }
}
