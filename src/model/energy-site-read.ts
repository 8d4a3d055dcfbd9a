import type { DeviceAction } from './actions.js';
import type { EnergyCommand } from './energy-commands.js';
import { CommandRefused, type EntityDescriptor } from './descriptors.js';
import { at, bool } from './read.js';
import type { EnergySiteSource } from './sources.js';

/** Shared readers of the energy-site table: live_status (W, Wh) and site_info. */

export type SiteRow = EntityDescriptor<EnergySiteSource>;

export const ENERGY_SCOPES = ['energy_cmds'] as const;

export function live(s: EnergySiteSource, path: string): unknown {
  return at(s.live, path);
}

export function info(s: EnergySiteSource, path: string): unknown {
  return at(s.info, path);
}

/** live_status leaves out the keys of components a site lacks; Home Assistant creates only what is there. */
export const inLive =
  (key: string) =>
  (s: EnergySiteSource): boolean =>
    s.live !== undefined && Object.hasOwn(s.live, key);

export const inInfo =
  (key: string) =>
  (s: EnergySiteSource): boolean =>
    s.info !== undefined && Object.hasOwn(s.info, key);

/**
 * A component flag from site_info, else from the products list (which teslahub reads first), so a
 * site's controls are right from the first discovery. Unknown counts as absent.
 */
function component(s: EnergySiteSource, name: string): boolean {
  return (bool(info(s, `components.${name}`)) ?? bool(at(s.summary, `components.${name}`))) === true;
}

export const hasBattery = (s: EnergySiteSource): boolean => component(s, 'battery');
export const hasSolar = (s: EnergySiteSource): boolean => component(s, 'solar');
export const hasComponent =
  (name: string) =>
  (s: EnergySiteSource): boolean =>
    component(s, name);

export function energy(command: EnergyCommand, body: Record<string, unknown>): DeviceAction {
  return { kind: 'energy', command, body };
}

/** The offered option, or a refusal naming the ones there are. */
export function offered<T extends string>(options: readonly T[], option: string): T {
  const found = options.find((candidate) => candidate === option);
  if (found === undefined) throw new CommandRefused('invalid_value', `"${option}" is not one of ${options.join(', ')}`);
  return found;
}

/** A value Tesla spells as one of `options`, else unknown. */
export function oneOf<T extends string>(options: readonly T[], value: unknown): T | null {
  return options.find((option) => option === value) ?? null;
}
