import { at, num, str } from '../model/read.js';
import { decodeVin, type Model } from '../model/vin.js';

/**
 * The battery level of a car charging on a Wall Connector between two vehicle_data readings: the
 * last reading plus the energy the Wall Connector put through since (free, every minute) times
 * the car's charging efficiency, over its usable pack. Efficiency and usable capacity are learned
 * from the car's own readings during each charge at home, so the estimate gets better with use.
 * Pure: every function takes the state and returns the next one.
 */

/** What the estimator knows about one car's charging, learned and kept across restarts. */
export interface Learned {
  /** Share of the wall energy that reaches the battery. */
  efficiency: number;
  /** Usable pack capacity, kWh. */
  capacityKwh: number;
  /** How much evidence is behind each value: wall kWh for the efficiency, battery percent for the capacity. */
  efficiencyWeightKwh: number;
  capacityWeightPercent: number;
}

/** A real reading, as vehicle_data says it. */
export interface Reading {
  level: number;
  at: number;
  /** charge_energy_added, kWh, for this charging session; null when not reported. */
  energyAddedKwh: number | null;
  chargeLimit: number | null;
  charging: boolean;
  /** Wall energy integrated this session at the reading's time. */
  wallKwh: number;
}

/** The first reading of a session at home and what had been learned before it. */
interface SessionBase {
  level: number;
  energyAddedKwh: number;
  wallKwh: number;
  learned: Learned;
}

export interface EstimateState {
  learned: Learned;
  reading: Reading | undefined;
  /** Wall energy of the current session, kWh (integrated from the Wall Connector readings). */
  wallKwh: number;
  /** The last Wall Connector power for this car and when it came. */
  power: { watts: number; at: number } | undefined;
  session: SessionBase | undefined;
}

/** The value to show: an estimate with the reading it started from. */
export interface Estimate {
  level: number;
  lastReading: number;
  lastReadingAt: number;
}

/** Typical usable packs by model and a usual AC efficiency: where learning starts. */
const STARTING_CAPACITY_KWH: Record<Model, number> = { '3': 75, Y: 75, S: 95, X: 95, C: 123 };
const STARTING_EFFICIENCY = 0.9;
const UNKNOWN_MODEL_KWH = 75;
/** Evidence the starting values count as: a first charge already outweighs them. */
const PRIOR_WEIGHT_KWH = 3;
const PRIOR_WEIGHT_PERCENT = 5;
/** Evidence is capped, so a car whose pack ages keeps being followed. */
const MAX_WEIGHT_KWH = 150;
const MAX_WEIGHT_PERCENT = 200;
/** Less than this is not enough to learn from (an integer level moves 1 % at a time). */
const MIN_LEARN_KWH = 1;
const MIN_LEARN_PERCENT = 3;
const EFFICIENCY_RANGE = [0.7, 1] as const;
/** A Wall Connector reading older than this says nothing about now (the site poll stopped). */
const STALE_POWER_MS = 5 * 60_000;

export function startingValues(vin: string): Learned {
  const model = decodeVin(vin).model;
  return {
    efficiency: STARTING_EFFICIENCY,
    capacityKwh: model ? STARTING_CAPACITY_KWH[model] : UNKNOWN_MODEL_KWH,
    efficiencyWeightKwh: PRIOR_WEIGHT_KWH,
    capacityWeightPercent: PRIOR_WEIGHT_PERCENT,
  };
}

export function initialEstimate(learned: Learned): EstimateState {
  return { learned, reading: undefined, wallKwh: 0, power: undefined, session: undefined };
}

/** A Wall Connector reading for this car: the energy since the previous one is added up. */
export function onPower(state: EstimateState, watts: number, now: number): EstimateState {
  const previous = state.power;
  let wallKwh = state.wallKwh;
  if (previous && now > previous.at && now - previous.at <= STALE_POWER_MS) wallKwh += (previous.watts * (now - previous.at)) / 3_600_000_000;
  return { ...state, wallKwh, power: { watts: Math.max(0, watts), at: now } };
}

/** The wall energy up to `now`: the last power held since its reading. */
function wallKwhAt(state: EstimateState, now: number): number {
  const power = state.power;
  if (!power || now <= power.at || now - power.at > STALE_POWER_MS) return state.wallKwh;
  return state.wallKwh + (power.watts * (now - power.at)) / 3_600_000_000;
}

/** The facts of a reading in vehicle_data; undefined without a battery level. */
export function readingOf(data: Record<string, unknown>, now: number, wallKwh: number): Reading | undefined {
  const level = num(at(data, 'charge_state.battery_level'));
  if (level === null) return undefined;
  const state = str(at(data, 'charge_state.charging_state'));
  return {
    level,
    at: now,
    energyAddedKwh: num(at(data, 'charge_state.charge_energy_added')),
    chargeLimit: num(at(data, 'charge_state.charge_limit_soc')),
    charging: state === 'Charging' || state === 'Starting',
    wallKwh,
  };
}

/**
 * A real reading: it replaces the estimate, and while the car charges at home it teaches the
 * efficiency (battery energy over wall energy) and the capacity (battery energy over percent),
 * both over the whole session so far, so an integer level's rounding weighs less as it goes on.
 */
export function onReading(state: EstimateState, data: Record<string, unknown>, now: number): { state: EstimateState; learnedChanged: boolean } {
  const reading = readingOf(data, now, wallKwhAt(state, now));
  if (!reading) return { state, learnedChanged: false };
  const atHome = state.power !== undefined && state.power.watts > 0 && now - state.power.at <= STALE_POWER_MS;
  let session = state.session;
  if (session && reading.energyAddedKwh !== null && reading.energyAddedKwh < session.energyAddedKwh) session = undefined;
  if (!atHome || !reading.charging || reading.energyAddedKwh === null) {
    return { state: { ...state, reading, session: atHome ? session : undefined }, learnedChanged: false };
  }
  if (!session) {
    session = { level: reading.level, energyAddedKwh: reading.energyAddedKwh, wallKwh: reading.wallKwh, learned: state.learned };
    return { state: { ...state, reading, session }, learnedChanged: false };
  }
  const learned = learn(session, reading);
  const learnedChanged = learned.efficiency !== state.learned.efficiency || learned.capacityKwh !== state.learned.capacityKwh;
  return { state: { ...state, reading, session, learned }, learnedChanged };
}

/** What the session so far says, blended with what was known before it, weighted by evidence. */
function learn(base: SessionBase, reading: Reading): Learned {
  const before = base.learned;
  const batteryKwh = (reading.energyAddedKwh ?? base.energyAddedKwh) - base.energyAddedKwh;
  const wallKwh = reading.wallKwh - base.wallKwh;
  const percent = reading.level - base.level;
  const next = { ...before };
  const efficiency = wallKwh > 0 ? batteryKwh / wallKwh : NaN;
  if (wallKwh >= MIN_LEARN_KWH && efficiency >= EFFICIENCY_RANGE[0] && efficiency <= EFFICIENCY_RANGE[1]) {
    next.efficiency = blend(before.efficiency, before.efficiencyWeightKwh, efficiency, wallKwh);
    next.efficiencyWeightKwh = Math.min(MAX_WEIGHT_KWH, before.efficiencyWeightKwh + wallKwh);
  }
  const capacity = percent > 0 ? (batteryKwh / percent) * 100 : NaN;
  if (percent >= MIN_LEARN_PERCENT && capacity >= before.capacityKwh * 0.5 && capacity <= before.capacityKwh * 1.5) {
    next.capacityKwh = blend(before.capacityKwh, before.capacityWeightPercent, capacity, percent);
    next.capacityWeightPercent = Math.min(MAX_WEIGHT_PERCENT, before.capacityWeightPercent + percent);
  }
  return next;
}

function blend(value: number, weight: number, sample: number, sampleWeight: number): number {
  return (value * weight + sample * sampleWeight) / (weight + sampleWeight);
}

/**
 * The estimate now, or undefined when the reading stands: no reading, a reading that says the car
 * is not charging, no power through the Wall Connector now, or nothing charged since the reading. Never below the reading, and never up
 * to the charge limit: reaching the limit is only ever shown from a real reading.
 */
export function estimateNow(state: EstimateState, now: number): Estimate | undefined {
  const { reading, power, learned } = state;
  // Power through the Wall Connector while the reading says the car is not charging is the car
  // running its climate on shore power, not energy into the pack; a charge that starts is read at once.
  if (!reading?.charging || !power || power.watts <= 0 || now - power.at > STALE_POWER_MS) return undefined;
  const wallKwh = wallKwhAt(state, now) - reading.wallKwh;
  if (wallKwh <= 0) return undefined;
  const gained = ((wallKwh * learned.efficiency) / learned.capacityKwh) * 100;
  const ceiling = Math.max(reading.level, (reading.chargeLimit ?? 100) - 1);
  const level = Math.round(Math.min(ceiling, reading.level + gained) * 10) / 10;
  return level > reading.level ? { level, lastReading: reading.level, lastReadingAt: reading.at } : undefined;
}
