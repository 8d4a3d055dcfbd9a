import type { ScenarioInput } from '../../src/simulator/index.js';
import { zonedToUtc } from '../../src/simulator/util/time-zone.js';

/**
 * The scripted days. Every identifier is made up. Each day is one fresh world starting at local
 * midnight; events use the scenario's daily `HH:MM` form, so within a 24 h run each fires once.
 * Both policies start polling at midnight, so event minutes are deliberately off the 5- and
 * 10-minute grid: otherwise every event would fall exactly on a poll of both and flatter them.
 * The house, its Powerwall, its solar and its Wall Connector are the same on every day (energy
 * calls are free, so they only matter for the Wall Connector's view of a charging car).
 */

/** The bench's days are `commuter`, `weekend`, `model-s-2019` and `house`; tests may add their own. */
export type DayKey = string;

export interface DayCar {
  vin: string;
  label: string;
  /** 2021+ cars (or any Model 3/Y): whether vehicle_data keeps them awake is a variant. */
  newer: boolean;
}

export interface DayPlan {
  key: DayKey;
  title: string;
  timeZone: string;
  /** Local calendar date of the day. */
  date: { year: number; month: number; day: number };
  car: DayCar | undefined;
  /** The script in words, printed with the results. */
  script: string[];
  scenario(options: { dataKeepsAwake: boolean }): ScenarioInput;
}

const TIME_ZONE = 'America/Los_Angeles';
const SITE_ID = '9000000000000001';
const OFFICE = { lat: 37.48, lon: -122.21, name: 'Office' };
const SUPERCHARGER = { lat: 37.43, lon: -122.17, name: 'Supercharger' };

type EventInput = NonNullable<ScenarioInput['events']>[number];
/** An event without its time (distributes over the union, which a plain Omit would collapse). */
type VehicleEventInput = EventInput extends infer E ? (E extends { at: string } ? Omit<E, 'at'> : never) : never;

export interface Step {
  at: string;
  what: string;
  event: VehicleEventInput;
}

export const step = (at: string, what: string, event: VehicleEventInput): Step => ({ at, what, event });

function homeSite(): NonNullable<ScenarioInput['energySites']>[number] {
  return {
    id: SITE_ID,
    name: 'Bench Home',
    batteries: 1,
    batteryLevel: 55,
    backupReserve: 20,
    solarKw: 7,
    wallConnectors: [{ maxAmps: 48, voltage: 240, phases: 1 }],
  };
}

const SITE_LINE = 'home energy site: 1 Powerwall (55 %), 7 kW solar, one 48 A Wall Connector (energy calls are free)';

/** A day with one car at home (and the home site), its script given as timed steps. */
export function carDay(options: {
  key: DayKey;
  title: string;
  date: DayPlan['date'];
  car: DayCar;
  start: { batteryLevel: number; chargeLimit?: number };
  startLine: string;
  steps: Step[];
}): DayPlan {
  const { car, steps } = options;
  return {
    key: options.key,
    title: options.title,
    timeZone: TIME_ZONE,
    date: options.date,
    car,
    script: [options.startLine, ...steps.map((s) => `${s.at} ${s.what}`), SITE_LINE],
    scenario: ({ dataKeepsAwake }) => ({
      name: `bench-${options.key}`,
      timeZone: TIME_ZONE,
      seed: 11,
      vehicles: [
        {
          vin: car.vin,
          name: car.label,
          state: 'asleep',
          batteryLevel: options.start.batteryLevel,
          chargeLimit: options.start.chargeLimit ?? 80,
          sleepAfter: 600,
          // Pre-2021 S/X stay awake when polled whatever this says (vehicle/vehicle.ts).
          dataKeepsAwake,
        },
      ],
      energySites: [homeSite()],
      events: steps.map((s) => ({ ...s.event, at: s.at }) as EventInput),
    }),
  };
}

export const DAYS: readonly DayPlan[] = [
  carDay({
    key: 'commuter',
    title: '(a) commuter — 2023 Model 3, Wednesday',
    date: { year: 2026, month: 6, day: 10 },
    car: { vin: '5YJ3BENCHP0000001', label: 'Bench Model 3 (2023)', newer: true },
    start: { batteryLevel: 56 },
    startLine: '00:00 asleep at home, 56 %, charge limit 80 %, sleeps after 10 min idle',
    steps: [
      step('07:23', 'owner gets in (present 4 min)', { type: 'user_present', duration: '4m' }),
      step('07:27', 'drives to the office (30 min, 15 mi), then parked at work all day', { type: 'drive', duration: '30m', miles: 15, to: OFFICE }),
      step('17:34', 'drives home (30 min, 15 mi)', { type: 'drive', duration: '30m', miles: 15, to: 'home' }),
      step('19:07', 'plugs into the home Wall Connector: AC charge (~7.7 kW) from ~45 % to its 80 % limit', { type: 'plug_in', charger: 'home' }),
    ],
  }),
  carDay({
    key: 'weekend',
    title: '(b) weekend — 2023 Model Y, Saturday',
    date: { year: 2026, month: 6, day: 13 },
    car: { vin: '5YJYBENCHP0000002', label: 'Bench Model Y (2023)', newer: true },
    start: { batteryLevel: 35 },
    startLine: '00:00 asleep at home, 35 %, charge limit 80 %, sleeps after 10 min idle',
    steps: [
      step('10:41', 'sentry mode on (parked at home)', { type: 'sentry', on: true }),
      step('11:44', 'sentry mode off', { type: 'sentry', on: false }),
      step('13:02', 'drives to a Supercharger (20 min, 12 mi)', { type: 'drive', duration: '20m', miles: 12, to: SUPERCHARGER }),
      step('13:23', 'plugs into a 72 kW Supercharger: DC fast charge to 80 %', { type: 'plug_in', charger: 'dc', kw: 72 }),
      step('14:03', 'unplugs after 40 min', { type: 'unplug' }),
      step('14:06', 'drives home (20 min, 12 mi), parked at home for the rest of the day', { type: 'drive', duration: '20m', miles: 12, to: 'home' }),
    ],
  }),
  carDay({
    key: 'model-s-2019',
    title: '(c) 2019 Model S (pre-2021: polling keeps it awake), Friday',
    date: { year: 2026, month: 6, day: 12 },
    car: { vin: '5YJSBENCHK0000003', label: 'Bench Model S (2019)', newer: false },
    start: { batteryLevel: 70 },
    startLine: '00:00 asleep in the garage, 70 %, sleeps after 10 min idle; every vehicle_data resets that timer (pre-2021 S/X)',
    steps: [
      step('12:03', 'owner sits in it for 5 min', { type: 'user_present', duration: '5m' }),
      step('18:37', 'owner opens the driver door to fetch a bag', { type: 'door', open: true, door: 'df' }),
      step('18:39', 'driver door closed', { type: 'door', open: false, door: 'df' }),
    ],
  }),
  {
    key: 'house',
    title: '(d) house — Powerwall, solar and Wall Connector, no car',
    timeZone: TIME_ZONE,
    date: { year: 2026, month: 6, day: 11 },
    car: undefined,
    script: ['no car on the account', SITE_LINE, 'nothing happens but the sun and the home load'],
    scenario: () => ({ name: 'bench-house', timeZone: TIME_ZONE, seed: 11, energySites: [homeSite()] }),
  },
];

/** Local midnight of the day, in ms. */
export function dayStart(plan: DayPlan): number {
  return zonedToUtc(plan.date.year, plan.date.month, plan.date.day, 0, 0, plan.timeZone);
}

/** Scripted events that physically touch the car (and so count as its own activity), as instants. */
export function ownEventInstants(plan: DayPlan): number[] {
  if (!plan.car) return [];
  const scenario = plan.scenario({ dataKeepsAwake: false });
  return (scenario.events ?? []).map((event) => {
    const match = /^(\d{1,2}):(\d{2})$/.exec(event.at);
    if (!match) throw new Error(`bench events use daily HH:MM times, not ${event.at}`);
    const { year, month, day } = plan.date;
    return zonedToUtc(year, month, day, Number(match[1]), Number(match[2]), plan.timeZone);
  });
}
