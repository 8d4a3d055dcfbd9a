import { backoffDelay } from '../core/backoff.js';
import type { FleetError } from '../fleet/errors.js';
import { at, bool, num, str } from '../model/read.js';
import type { VehicleConnection } from '../model/sources.js';

/** How a car is being polled; the policy's memory between decisions. */
export interface PolicyState {
  /** What we believe: the state call's answer, or `suspended` (online, left alone to fall asleep). */
  phase: 'unknown' | 'asleep' | 'offline' | 'online' | 'suspended';
  /** The last time the car was seen doing something (driving, charging, a sleep blocker). */
  lastActiveAt: number | undefined;
  suspendedUntil: number | undefined;
  /** The quiet window already got its one more look (see `stillAwake`). */
  lookedAgain: boolean;
  lastDataAt: number | undefined;
  lastStateAt: number | undefined;
  /** Charging at home as the Wall Connector reports it (free), and since when. */
  wallConnectorCharging: boolean;
  wallConnectorAt: number | undefined;
  /** Consecutive failed calls, for backoff. */
  failures: number;
  /** Tesla's Retry-After, to the second. */
  pausedUntil: number | undefined;
  /** The call planned last, kept when a signal brings no news. */
  planned: { action: PollAction; at: number; reason: string } | undefined;
  /** When the next vehicle_data is due while the car is online, and why. */
  dataDueAt: number | undefined;
  dataReason: string | undefined;
}

export function initialPolicyState(): PolicyState {
  return {
    phase: 'unknown',
    lastActiveAt: undefined,
    suspendedUntil: undefined,
    lookedAgain: false,
    lastDataAt: undefined,
    lastStateAt: undefined,
    wallConnectorCharging: false,
    wallConnectorAt: undefined,
    failures: 0,
    pausedUntil: undefined,
    planned: undefined,
    dataDueAt: undefined,
    dataReason: undefined,
  };
}

export type Observation =
  /** The free state call answered. */
  | { kind: 'state'; connection: VehicleConnection }
  /** vehicle_data answered. */
  | { kind: 'data'; data: Record<string, unknown> }
  /** vehicle_data answered 408: the car fell asleep. */
  | { kind: 'asleep' }
  | { kind: 'error'; error: FleetError }
  /** The home Wall Connector's live reading for this car (free of charge). */
  | { kind: 'wall_connector'; powerW: number }
  /** Someone asked for fresh data now. */
  | { kind: 'refresh' }
  /** A timer ran out: decide again. */
  | { kind: 'tick' };

export interface PolicyConfig {
  /** seconds */
  asleepCheck: number;
  onlineIdle: number;
  chargingMax: number;
  chargingMin: number;
  driving: number;
  suspendWindow: number;
  pre2021QuietWindow: number;
  stateCallBilled: boolean;
  pre2021: boolean;
  /** The budget's word: normal; slow stretches billed cadences; stop makes no billed calls. */
  budget: 'normal' | 'slow' | 'stop';
}

export type PollAction = 'state' | 'data' | 'none';

export interface Decision {
  state: PolicyState;
  /** What to call at `at` (none: nothing is due; decide again at `at`). */
  action: PollAction;
  at: number;
  reason: string;
}

export type Activity = 'driving' | 'charging' | 'awake' | 'idle';

/** A state call is free (by assumption) unless configured otherwise; then it is used sparingly. */
const BILLED_STATE_MIN_S = 15 * 60;
const SLOW_FACTOR = 3;
/** Charging is watched by this many percent of battery between vehicle_data calls. */
const CHARGE_STEP_PERCENT = 5;
/** With the Wall Connector telling the power for free, battery level is read every 10 %. */
const CHARGE_STEP_PERCENT_WALL_CONNECTOR = 10;
const DEFAULT_PACK_KWH = 75;
/**
 * A car's own sleep timer (about 10 min) must end within 15 min of its last activity, so a read that
 * restarts the timer is harmless only within 5 min of that activity: a car seen asleep at most this
 * long ago and online now woke (by its own doing) within it.
 */
const FRESH_WAKE_MS = 5 * 60_000;
/** Slack for the time a state call itself takes, so a check every 5 min counts as every 5 min. */
const CALL_SLACK_MS = 60_000;
const MIN_BACKOFF_MS = 30_000;
const MAX_BACKOFF_MS = 30 * 60_000;

/** What keeps a car awake by its owner's doing (TeslaMate's list). */
export function sleepBlockers(data: Record<string, unknown> | undefined): string[] {
  const out: string[] = [];
  if (!data) return out;
  if (bool(at(data, 'vehicle_state.is_user_present'))) out.push('someone is in the car');
  if (bool(at(data, 'climate_state.is_preconditioning'))) out.push('preconditioning');
  if (bool(at(data, 'climate_state.is_climate_on'))) out.push('climate on');
  const keeper = str(at(data, 'climate_state.climate_keeper_mode'));
  if (keeper && keeper !== 'off') out.push(`${keeper} mode`);
  if (bool(at(data, 'vehicle_state.sentry_mode'))) out.push('sentry mode');
  const update = str(at(data, 'vehicle_state.software_update.status'));
  if (update === 'downloading' || update === 'installing') out.push(`software update ${update}`);
  if (['df', 'dr', 'pf', 'pr'].some((door) => (num(at(data, `vehicle_state.${door}`)) ?? 0) > 0)) out.push('a door is open');
  if (['ft', 'rt'].some((trunk) => (num(at(data, `vehicle_state.${trunk}`)) ?? 0) > 0)) out.push('a trunk is open');
  if ((num(at(data, 'drive_state.power')) ?? 0) > 0) out.push('drawing power');
  return out;
}

export function activityOf(data: Record<string, unknown> | undefined): Activity {
  const shift = str(at(data, 'drive_state.shift_state'));
  if ((shift && shift !== 'P') || (num(at(data, 'drive_state.speed')) ?? 0) > 0) return 'driving';
  const charging = str(at(data, 'charge_state.charging_state'));
  if (charging === 'Charging' || charging === 'Starting') return 'charging';
  return sleepBlockers(data).length > 0 ? 'awake' : 'idle';
}

/** Seconds between vehicle_data calls while charging: the time the battery needs for a few percent. */
export function chargingCadence(data: Record<string, unknown> | undefined, config: PolicyConfig, withWallConnector: boolean): number {
  const powerKw = num(at(data, 'charge_state.charger_power')) ?? 0;
  const level = num(at(data, 'charge_state.battery_level'));
  const remaining = num(at(data, 'charge_state.energy_remaining'));
  const packKwh = level && remaining && level > 0 ? (remaining / level) * 100 : DEFAULT_PACK_KWH;
  const step = withWallConnector ? CHARGE_STEP_PERCENT_WALL_CONNECTOR : CHARGE_STEP_PERCENT;
  const max = withWallConnector ? config.chargingMax * 2 : config.chargingMax;
  if (powerKw <= 0) return config.chargingMin;
  const seconds = ((step / 100) * packKwh * 3600) / powerKw;
  return Math.min(max, Math.max(config.chargingMin, Math.round(seconds)));
}

function stretch(seconds: number, config: PolicyConfig): number {
  return config.budget === 'slow' ? seconds * SLOW_FACTOR : seconds;
}

function asleepCheck(config: PolicyConfig): number {
  return config.stateCallBilled ? Math.max(config.asleepCheck, BILLED_STATE_MIN_S) : config.asleepCheck;
}

/** The shared exponential backoff (±20 % jitter, capped), with the jitter drawn by the caller from [0, 1). */
export function backoffMs(failures: number, jitter: number): number {
  return backoffDelay(failures - 1, { initialMs: MIN_BACKOFF_MS, maxMs: MAX_BACKOFF_MS, jitter: 0.2, random: () => jitter });
}

/**
 * The polling policy of one car: a pure function of what is known. It never wakes a car, calls
 * vehicle_data only while the car is online and only as often as its activity needs, leaves an
 * idle car alone so it can fall asleep, and uses the free state call to notice changes.
 */
export function decide(previous: PolicyState, observation: Observation, now: number, config: PolicyConfig, jitter = 0.5): Decision {
  const decision = decideOnce(previous, observation, now, config, jitter);
  decision.state.planned = { action: decision.action, at: decision.at, reason: decision.reason };
  return decision;
}

function decideOnce(previous: PolicyState, observation: Observation, now: number, config: PolicyConfig, jitter: number): Decision {
  const state: PolicyState = { ...previous };
  const billedAllowed = config.budget !== 'stop';
  const stateAllowed = billedAllowed || !config.stateCallBilled;
  const stateCheck = (at: number, reason: string): Decision =>
    stateAllowed
      ? { state, action: 'state', at, reason }
      : { state, action: 'none', at: now + asleepCheck(config) * 1000, reason: `${reason}; the budget is spent, so no billed calls` };
  const dataCall = (at: number, reason: string): Decision =>
    billedAllowed
      ? { state, action: 'data', at, reason }
      : stateCheck(now + asleepCheck(config) * 1000, `${reason}, but the budget is spent: no vehicle_data until the month turns`);

  switch (observation.kind) {
    case 'state':
      return afterState(state, previous.lastStateAt, observation.connection, now, config, dataCall, stateCheck);
    case 'asleep':
      state.phase = 'asleep';
      state.lastStateAt = now;
      state.failures = 0;
      return stateCheck(now + asleepCheck(config) * 1000, 'the car fell asleep: only the free state check');
    case 'data':
      return afterData(state, observation.data, now, config, dataCall, stateCheck);
    case 'error': {
      state.failures += 1;
      if (observation.error.kind === 'rateLimited' && observation.error.retryAfterS !== undefined) {
        state.pausedUntil = now + observation.error.retryAfterS * 1000;
        return { state, action: 'none', at: state.pausedUntil, reason: `Tesla asked to wait ${observation.error.retryAfterS} s` };
      }
      const wait = backoffMs(state.failures, jitter);
      return {
        state,
        action: 'none',
        at: now + wait,
        reason: `the last call failed (${observation.error.kind}); trying again in ${Math.round(wait / 1000)} s`,
      };
    }
    case 'wall_connector': {
      const charging = observation.powerW > 0;
      const changed = charging !== state.wallConnectorCharging;
      state.wallConnectorCharging = charging;
      state.wallConnectorAt = now;
      if (charging) state.lastActiveAt = now;
      if (changed && (state.lastDataAt === undefined || now - state.lastDataAt > 60_000)) {
        // Plugging in wakes a car, and a finished charge leaves it awake for a while: both are
        // moments when vehicle_data shows something new without waking anything.
        state.phase = 'online';
        state.suspendedUntil = undefined;
        return dataCall(now, charging ? 'the Wall Connector shows the car charging' : 'the Wall Connector shows the charge ended');
      }
      // No news: the plan stands.
      if (state.planned && state.planned.at >= now) return { state, ...state.planned };
      return next(state, now, config, dataCall, stateCheck);
    }
    case 'refresh':
      if (state.phase === 'online' || state.phase === 'suspended' || state.phase === 'unknown') {
        return state.phase === 'unknown' ? stateCheck(now, 'refresh requested') : dataCall(now, 'refresh requested');
      }
      return stateCheck(now, 'refresh requested; the car sleeps, so only the state check');
    case 'tick':
      if (state.pausedUntil !== undefined && now < state.pausedUntil)
        return { state, action: 'none', at: state.pausedUntil, reason: "waiting for Tesla's Retry-After" };
      return next(state, now, config, dataCall, stateCheck);
  }
}

type Caller = (at: number, reason: string) => Decision;

/** The free state call answered: online starts or continues watching, anything else waits for the next check. */
function afterState(
  state: PolicyState,
  unseenSince: number | undefined,
  connection: VehicleConnection,
  now: number,
  config: PolicyConfig,
  dataCall: Caller,
  stateCheck: Caller,
): Decision {
  state.lastStateAt = now;
  state.failures = 0;
  if (connection === 'online') {
    if (state.phase === 'suspended') {
      if (state.suspendedUntil !== undefined && now < state.suspendedUntil) {
        return stateCheck(now + asleepCheck(config) * 1000, 'still awake; leaving it alone so it can fall asleep');
      }
      const again = lookAgain(state, now, config, stateCheck, 'the quiet window is over and the car is still awake');
      if (again) return again;
      state.phase = 'online';
      state.suspendedUntil = undefined;
      return dataCall(now, 'the quiet window is over and the car is still awake');
    }
    if (state.phase === 'online') return watch(state, now, config, dataCall, stateCheck);
    const unseenMs = unseenSince === undefined ? 0 : now - unseenSince;
    if (config.pre2021 && (state.phase === 'asleep' || state.phase === 'offline') && unseenMs > FRESH_WAKE_MS + CALL_SLACK_MS) {
      // vehicle_data restarts a pre-2021 S/X's sleep timer, and after this long unseen its own
      // activity may be over already: one more look first, data only if it stays awake.
      state.phase = 'suspended';
      state.lookedAgain = false;
      const reason = `awake after ${Math.round(unseenMs / 60_000)} min unseen (a pre-2021 S/X, which vehicle_data keeps awake)`;
      return lookAgain(state, now, config, stateCheck, reason, true) ?? dataCall(now, reason);
    }
    state.phase = 'online';
    return dataCall(now, 'the car came online: reading what it is doing');
  }
  state.phase = connection === 'unknown' ? 'unknown' : connection;
  state.suspendedUntil = undefined;
  return stateCheck(now + asleepCheck(config) * 1000, `the car is ${connection}: only the free state check, never a wake`);
}

/**
 * A car still awake when its quiet window ends was most likely used during it and is about to fall
 * asleep by its own timer; a vehicle_data now could restart that timer (pre-2021 S/X, and newer cars
 * that turn out to behave alike). One more free state check first: data only if it is still awake
 * then. With a billed state call the look costs as much as the data, so the data is read at once
 * (except for a pre-2021 S/X found awake, whose caller asks for the look regardless).
 */
function lookAgain(state: PolicyState, now: number, config: PolicyConfig, stateCheck: Caller, reason: string, evenIfBilled = false): Decision | undefined {
  if (state.lookedAgain || (config.stateCallBilled && !evenIfBilled)) return undefined;
  state.lookedAgain = true;
  state.suspendedUntil = now;
  return stateCheck(now + asleepCheck(config) * 1000, `${reason}: one more look before vehicle_data, so a car about to fall asleep is not kept awake`);
}

function afterData(state: PolicyState, data: Record<string, unknown>, now: number, config: PolicyConfig, dataCall: Caller, stateCheck: Caller): Decision {
  state.lastDataAt = now;
  state.failures = 0;
  state.phase = 'online';
  const activity = activityOf(data);
  switch (activity) {
    case 'driving':
      state.lastActiveAt = now;
      return plan(state, now + stretch(config.driving, config) * 1000, 'driving', config, dataCall, stateCheck);
    case 'charging': {
      state.lastActiveAt = now;
      const seconds = Math.min(config.chargingMax * 2, stretch(chargingCadence(data, config, state.wallConnectorCharging), config));
      return plan(
        state,
        now + seconds * 1000,
        state.wallConnectorCharging ? 'charging at home: power from the Wall Connector, battery level every 10 %' : 'charging: battery level every few percent',
        config,
        dataCall,
        stateCheck,
      );
    }
    case 'awake': {
      state.lastActiveAt = now;
      return plan(
        state,
        now + stretch(config.onlineIdle, config) * 1000,
        `kept awake by its owner (${sleepBlockers(data).join(', ')}): not fought, checked now and then`,
        config,
        dataCall,
        stateCheck,
      );
    }
    case 'idle': {
      const window = Math.max(config.suspendWindow, config.pre2021 ? config.pre2021QuietWindow : 0);
      state.phase = 'suspended';
      state.dataDueAt = undefined;
      state.suspendedUntil = now + window * 1000;
      state.lookedAgain = false;
      return stateCheck(now + asleepCheck(config) * 1000, `idle: no vehicle_data for ${Math.round(window / 60)} min so the car can fall asleep`);
    }
  }
}

/** Plans the next vehicle_data of an online car, watching it with free state calls meanwhile. */
function plan(state: PolicyState, dueAt: number, reason: string, config: PolicyConfig, dataCall: Caller, stateCheck: Caller): Decision {
  state.dataDueAt = dueAt;
  state.dataReason = reason;
  return watch(state, state.lastDataAt ?? dueAt, config, dataCall, stateCheck);
}

/**
 * Until the next vehicle_data is due, the free state call looks every few minutes, so a car that
 * falls asleep in between is noticed instead of being sent a (billed) vehicle_data that gets 408.
 */
function watch(state: PolicyState, now: number, config: PolicyConfig, dataCall: Caller, stateCheck: Caller): Decision {
  const due = state.dataDueAt ?? now;
  const reason = state.dataReason ?? 'online';
  if (config.stateCallBilled) return dataCall(Math.max(now, due), reason);
  // The state check just said online: the data call that is due now cannot find the car asleep.
  if (now >= due && state.lastStateAt === now) return dataCall(now, reason);
  const check = now + asleepCheck(config) * 1000;
  if (check < due) return stateCheck(check, `${reason}; next vehicle_data at ${new Date(due).toISOString().slice(11, 16)} UTC, free state checks meanwhile`);
  return stateCheck(Math.max(now, due), `${reason}; a free state check first, so a car that fell asleep costs nothing`);
}

/** The next scheduled call from the state alone (after a tick or a signal without news). */
function next(state: PolicyState, now: number, config: PolicyConfig, dataCall: Caller, stateCheck: Caller): Decision {
  switch (state.phase) {
    case 'online':
      if (state.dataDueAt === undefined) state.dataDueAt = (state.lastDataAt ?? now) + stretch(config.onlineIdle, config) * 1000;
      return watch(state, now, config, dataCall, stateCheck);
    case 'suspended':
    case 'asleep':
    case 'offline':
    case 'unknown':
      return stateCheck(
        Math.max(now, (state.lastStateAt ?? 0) + asleepCheck(config) * 1000),
        state.phase === 'suspended' ? 'leaving the car alone so it can fall asleep' : `the car is ${state.phase}`,
      );
  }
}
