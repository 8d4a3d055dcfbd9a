import { decodeRoutableMessage, type RoutableMessage } from '../../signing/routable-message.js';
import { Domain, type VcpDomain } from '../../signing/vcp-enums.js';
import { ProtobufError } from '../../signing/wire.js';
import { CHARGING_COMMAND_NAMES, CommandInputError, executeVehicleCommand, isVehicleCommand } from '../vehicle/commands.js';
import type { Vehicle } from '../vehicle/vehicle.js';
import { type DecodedAction, decodeInfotainmentAction, decodeVcsecMessage } from '../vcp/payload-decode.js';
import type { ActResult } from '../vcp/vehicle-vcp.js';
import { jsonBody, reply, type SimContext } from './context.js';
import type { FleetDeps } from './fleet-deps.js';
import type { UserAccess } from './fleet-gate.js';
import { MISSING_SCOPES, teslaError, VEHICLE_UNAVAILABLE } from './tesla-errors.js';

/**
 * POST /api/1/vehicles/{vin}/signed_command: Tesla's side
 * (422 for cars without the protocol, 408 for a sleeping infotainment, the scope check on the
 * plaintext payload) and then the car's, which answers 200 with its RoutableMessage.
 * Called after the scope, ownership and rate-limit checks of vehicle-routes.ts.
 */

export const VCP_UNSUPPORTED =
  'vehicle does not support the Tesla Vehicle Command Protocol, please refer to the documentation here: https://developer.tesla.com/docs/fleet-api';

function decodeFor(domain: VcpDomain, payload: Uint8Array): DecodedAction {
  return domain === Domain.INFOTAINMENT ? decodeInfotainmentAction(payload) : decodeVcsecMessage(payload);
}

/** What the car does with a verified payload: the same handlers as its REST commands. */
function act(vehicle: Vehicle, deps: FleetDeps, domain: VcpDomain, payload: Uint8Array): ActResult {
  let decoded: DecodedAction;
  try {
    decoded = decodeFor(domain, payload);
  } catch (error) {
    if (error instanceof ProtobufError) return { kind: 'undecodable', detail: error.message };
    throw error;
  }
  if (decoded.kind === 'unknown') return { kind: 'unknown', detail: decoded.detail };
  if (decoded.kind === 'noop') return { kind: 'done', ok: true, reason: '' };
  let last: ActResult = { kind: 'done', ok: true, reason: '' };
  for (const { name, body } of decoded.commands) {
    if (!isVehicleCommand(name)) return { kind: 'unknown', detail: `${name} is not simulated` };
    try {
      const result = executeVehicleCommand(vehicle, name, body, { now: deps.clock.now(), env: deps.world.env });
      last = { kind: 'done', ok: result.result, reason: result.reason };
      if (!result.result) return last;
    } catch (error) {
      if (!(error instanceof CommandInputError)) throw error;
      return { kind: 'done', ok: false, reason: error.message };
    }
  }
  return last;
}

/** A charging-only token may sign charging commands only: Tesla reads the plaintext payload. */
function chargingOnly(message: RoutableMessage): boolean {
  const to = message.toDestination;
  if (message.payload?.kind !== 'protobuf' || !to || !('domain' in to) || to.domain !== Domain.INFOTAINMENT)
    return message.payload?.kind === 'sessionInfoRequest';
  try {
    const decoded = decodeInfotainmentAction(message.payload.bytes);
    return decoded.kind === 'commands' && decoded.commands.every((c) => CHARGING_COMMAND_NAMES.has(c.name));
  } catch {
    return false;
  }
}

export function signedCommandOnVehicle(ctx: SimContext, deps: FleetDeps, access: UserAccess, vehicle: Vehicle): void {
  if (vehicle.state.commandSigning === 'off') {
    reply(ctx, 422, teslaError(VCP_UNSUPPORTED));
    return;
  }
  const encoded = jsonBody(ctx)?.routable_message;
  if (typeof encoded !== 'string' || encoded === '' || !/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) {
    reply(ctx, 400, teslaError('invalid_field', 'routable_message must be the base64 of a RoutableMessage'));
    return;
  }
  let message: RoutableMessage;
  try {
    message = decodeRoutableMessage(Buffer.from(encoded, 'base64'));
  } catch (error) {
    if (!(error instanceof ProtobufError)) throw error;
    reply(ctx, 400, teslaError('invalid_field', `routable_message is not a RoutableMessage (${error.message})`));
    return;
  }
  if (message.signatureData?.body?.kind === 'aesGcmPersonalized') {
    // Fleet API passes only HMAC-signed commands, so it can read what it forwards (status not documented).
    reply(ctx, 400, teslaError('invalid_field', 'AES-GCM encrypted commands are not accepted over the Fleet API; sign with HMAC'));
    return;
  }
  if (!access.scopes.has('vehicle_cmds') && !chargingOnly(message)) {
    reply(ctx, 403, teslaError(MISSING_SCOPES, 'this command needs the vehicle_cmds scope'));
    return;
  }
  const to = message.toDestination;
  const domain = to && 'domain' in to ? to.domain : undefined;
  // The security controller answers while infotainment sleeps; a car out of coverage answers nothing.
  if (vehicle.status === 'offline' || (vehicle.status === 'asleep' && domain !== Domain.VEHICLE_SECURITY)) {
    reply(ctx, 408, teslaError(VEHICLE_UNAVAILABLE));
    return;
  }
  const now = deps.clock.now();
  const exchange = vehicle.vcp.handle(message, now, (d, payload) => act(vehicle, deps, d, payload));
  reply(ctx, 200, { response: Buffer.from(exchange.reply).toString('base64') });
}

/** For REST command names, whether a car that requires signing still takes them over REST. */
export function restOnlyCommand(name: string): boolean {
  return name.startsWith('navigation_') || name === 'remote_boombox' || name.startsWith('set_managed_');
}
