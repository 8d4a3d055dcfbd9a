import type { VehicleEvent } from '../scenario/events-schema.js';
import type { VehiclePatch } from '../scenario/fields.js';
import { plugIn, resolveCharging, unplug } from '../vehicle/charging.js';
import { startDrive } from '../vehicle/driving.js';
import type { Plug, PlugKind } from '../vehicle/state.js';
import type { Vehicle, VehicleEnv } from '../vehicle/vehicle.js';
import { WorldError } from './errors.js';
import { SIGNING_DOMAINS } from '../vcp/firmware.js';

/** What applying an event needs from the world. */
export interface VehicleEventContext {
  env: VehicleEnv;
  /** The Wall Connector a car plugs into at home (the given DIN, else a free one on its account's sites). */
  homeWallConnector(v: Vehicle, din?: string): { din: string; voltage: number; phases: number; maxAmps: number } | undefined;
}

export function makePlug(
  ctx: VehicleEventContext,
  v: Vehicle,
  kind: PlugKind,
  options: { kw?: number | undefined; wallConnector?: string | undefined } = {},
): Plug {
  switch (kind) {
    case 'home': {
      const wc = ctx.homeWallConnector(v, options.wallConnector);
      if (!wc) throw new WorldError(`no Wall Connector for ${v.vin} to plug into${options.wallConnector ? ` (DIN ${options.wallConnector})` : ''}`);
      return { kind, wallConnectorDin: wc.din, voltage: wc.voltage, phases: wc.phases, maxAmps: wc.maxAmps, dcMaxKw: 0 };
    }
    case 'ac':
      // A public AC post: 240 V single phase at 32 A in North America, 230 V three phase at 16 A elsewhere.
      return v.region === 'na' ? { kind, voltage: 240, phases: 1, maxAmps: 32, dcMaxKw: 0 } : { kind, voltage: 230, phases: 3, maxAmps: 16, dcMaxKw: 0 };
    case 'dc':
      return { kind, voltage: 400, phases: 0, maxAmps: 0, dcMaxKw: options.kw ?? 150 };
  }
}

export function applyVehicleEvent(ctx: VehicleEventContext, v: Vehicle, event: VehicleEvent, now: number): void {
  const s = v.state;
  switch (event.type) {
    case 'drive': {
      const to = event.to === 'home' ? { ...s.home, name: 'Home' } : { lat: event.to.lat, lon: event.to.lon, name: event.to.name ?? 'Destination' };
      startDrive(v, now, { durationMs: event.duration * 1000, miles: event.miles, to: { lat: to.lat, lon: to.lon }, name: to.name }, ctx.env);
      break;
    }
    case 'plug_in':
      plugIn(v, makePlug(ctx, v, event.charger, { kw: event.kw, wallConnector: event.wallConnector }), now, ctx.env);
      break;
    case 'unplug':
      unplug(v, now, ctx.env);
      break;
    case 'user_present':
      v.wakeNow(now);
      s.userPresentUntil = Math.max(s.userPresentUntil ?? 0, now + event.duration * 1000);
      break;
    case 'sentry':
      v.wakeNow(now);
      s.sentry = event.on;
      break;
    case 'door':
      v.wakeNow(now);
      s.doors[event.door] = event.open;
      // Opening from outside means someone unlocked it.
      if (event.open) s.locked = false;
      break;
    case 'climate':
      v.wakeNow(now);
      setClimate(v, event.on);
      break;
    case 'offline':
      s.connected = false;
      s.offlineUntil = event.duration === undefined ? null : now + event.duration * 1000;
      break;
    case 'online':
      s.connected = true;
      s.offlineUntil = null;
      break;
    case 'software_update':
      v.wakeNow(now);
      s.software = { status: 'downloading', version: event.version, phaseStart: now, phaseEndsAt: now + event.download * 1000, scheduledAt: null };
      break;
    case 'set':
      // The patch settles the car itself, unless it was told to sleep.
      applyVehiclePatch(ctx, v, event.values, now);
      return;
  }
  v.settle(now, ctx.env);
}

function setClimate(v: Vehicle, on: boolean): void {
  v.state.climateOn = on;
  if (!on) {
    v.state.keeper = 'off';
    v.state.defrost = false;
  }
}

/** Sets facts directly. Physical changes (someone in the car, a door, a cable) wake the car, as they would. */
export function applyVehiclePatch(ctx: VehicleEventContext, v: Vehicle, patch: VehiclePatch, now: number): void {
  const s = v.state;
  if (patch.displayName !== undefined) s.displayName = patch.displayName;
  if (patch.commandSigning !== undefined) s.commandSigning = patch.commandSigning;
  if (patch.keyPaired !== undefined) s.keyPaired = patch.keyPaired;
  if (patch.pairKey !== undefined) v.vcp.pair(patch.pairKey);
  if (patch.unpairKey !== undefined) v.vcp.unpair(patch.unpairKey);
  if (patch.restartSigning !== undefined) v.vcp.restart(SIGNING_DOMAINS[patch.restartSigning], now);
  if (patch.encryptResponses !== undefined) v.vcp.encryptResponses = patch.encryptResponses;
  if (patch.dataKeepsAwake !== undefined) s.dataKeepsAwake = patch.dataKeepsAwake;
  if (patch.sleepAfter !== undefined) s.sleepAfterMs = patch.sleepAfter * 1000;
  if (patch.wakeDelay !== undefined) s.wakeDelayMs = patch.wakeDelay * 1000;
  const physical =
    patch.userPresent === true ||
    patch.sentry === true ||
    patch.climateOn === true ||
    patch.pluggedIn !== undefined ||
    Object.values(patch.doors ?? {}).some(Boolean);
  if (physical) v.wakeNow(now);
  if (patch.userPresent !== undefined) s.userPresentUntil = patch.userPresent ? Infinity : null;
  if (patch.sentry !== undefined) s.sentry = patch.sentry;
  if (patch.locked !== undefined) s.locked = patch.locked;
  for (const [door, open] of Object.entries(patch.doors ?? {}) as [keyof typeof s.doors, boolean][]) s.doors[door] = open;
  for (const [window, open] of Object.entries(patch.windows ?? {}) as [keyof typeof s.windows, boolean][]) s.windows[window] = open;
  if (patch.climateOn !== undefined) setClimate(v, patch.climateOn);
  if (patch.batteryLevel !== undefined) s.energyKwh = (v.capacityKwh * patch.batteryLevel) / 100;
  if (patch.chargeAmps !== undefined) s.chargeAmps = Math.min(patch.chargeAmps, v.spec.acMaxAmps);
  if (patch.insideTemp !== undefined) s.insideTemp = patch.insideTemp;
  if (patch.outsideTemp !== undefined) {
    s.outsideMean = patch.outsideTemp;
    s.outsideTemp = patch.outsideTemp;
  }
  if (patch.location !== undefined) s.location = { ...patch.location };
  if (patch.odometer !== undefined) s.odometer = patch.odometer;
  if (patch.softwareUpdate !== undefined) {
    const update = patch.softwareUpdate;
    s.software = update
      ? {
          status: update.status,
          version: update.version,
          phaseStart: now,
          phaseEndsAt: update.status === 'downloading' ? now + 600_000 : null,
          scheduledAt: null,
        }
      : { status: '', version: '', phaseStart: now, phaseEndsAt: null, scheduledAt: null };
  }
  if (patch.pluggedIn === false) unplug(v, now, ctx.env);
  else if (patch.pluggedIn !== undefined) plugIn(v, makePlug(ctx, v, patch.pluggedIn), now, ctx.env);
  if (patch.chargeLimit !== undefined) {
    const raised = patch.chargeLimit > s.chargeLimit;
    s.chargeLimit = patch.chargeLimit;
    resolveCharging(v, now, ctx.env, raised);
  }
  if (patch.offline !== undefined) {
    s.connected = !patch.offline;
    s.offlineUntil = null;
  }
  // Last, so "asleep" wins over the wake-ups above when a test asks for both.
  if (patch.asleep === true) v.sleepNow();
  else if (patch.asleep === false) v.wakeNow(now);
  if (patch.asleep !== true) v.settle(now, ctx.env);
}
