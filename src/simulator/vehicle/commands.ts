import { BODY_COMMANDS } from './commands-body.js';
import { CHARGING_COMMANDS } from './commands-charging.js';
import { CLIMATE_COMMANDS, hasSeatCooling } from './commands-climate.js';
import { MEDIA_NAV_COMMANDS } from './commands-media-nav.js';
import { type CommandContext, type CommandHandler, type CommandResult, ok } from './command-types.js';
import { Params } from './params.js';
import type { Vehicle } from './vehicle.js';

export { CommandInputError } from './params.js';
export type { CommandContext, CommandResult } from './command-types.js';
export { hasSeatCooling };

const PRECONDITION_COMMANDS: Record<string, CommandHandler> = {
  add_precondition_schedule: (v, p, { now }) => {
    const id = p.optionalNumber('id') || Math.floor(now / 1000);
    const entry = {
      id,
      name: p.optionalString('name') ?? '',
      days_of_week: p.optionalNumber('days_of_week') ?? 127,
      precondition_time: p.optionalNumber('precondition_time') ?? 480,
      one_time: p.optionalBoolean('one_time') ?? false,
      enabled: p.optionalBoolean('enabled') ?? true,
      latitude: p.optionalNumber('lat') ?? v.state.location.lat,
      longitude: p.optionalNumber('lon') ?? v.state.location.lon,
    };
    v.state.preconditionSchedules = [...v.state.preconditionSchedules.filter((s) => s.id !== id), entry];
    return ok();
  },
  remove_precondition_schedule: (v, p) => {
    const id = p.number('id');
    v.state.preconditionSchedules = v.state.preconditionSchedules.filter((s) => s.id !== id);
    return ok();
  },
};

/** Every REST command the simulated car understands, by its Fleet API name. */
export const VEHICLE_COMMANDS: Readonly<Record<string, CommandHandler>> = {
  ...CHARGING_COMMANDS,
  ...CLIMATE_COMMANDS,
  ...BODY_COMMANDS,
  ...MEDIA_NAV_COMMANDS,
  ...PRECONDITION_COMMANDS,
};

/** Commands a token with only `vehicle_charging_cmds` may send. */
export const CHARGING_COMMAND_NAMES: ReadonlySet<string> = new Set(Object.keys(CHARGING_COMMANDS));

export function isVehicleCommand(name: string): boolean {
  return Object.hasOwn(VEHICLE_COMMANDS, name);
}

/** Runs a command on an awake car; throws CommandInputError for a malformed body. */
export function executeVehicleCommand(v: Vehicle, name: string, body: unknown, ctx: CommandContext): CommandResult {
  const handler = VEHICLE_COMMANDS[name];
  if (!handler) throw new Error(`unknown vehicle command ${name}`);
  v.touch(ctx.now);
  const result = handler(v, new Params(body), ctx);
  v.settle(ctx.now, ctx.env);
  return result;
}
