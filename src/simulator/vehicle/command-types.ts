import type { Params } from './params.js';
import type { Vehicle, VehicleEnv } from './vehicle.js';

/**
 * A vehicle action as the car executes it. REST commands call these today; a future
 * signed_command endpoint decodes its protobuf into the same calls.
 */
export interface CommandContext {
  now: number;
  env: VehicleEnv;
}

/** The car's answer: `{"response":{"result":…,"reason":…}}` on the wire. */
export interface CommandResult {
  result: boolean;
  reason: string;
}

export type CommandHandler = (v: Vehicle, p: Params, ctx: CommandContext) => CommandResult;

export const ok = (): CommandResult => ({ result: true, reason: '' });
export const refuse = (reason: string): CommandResult => ({ result: false, reason });
