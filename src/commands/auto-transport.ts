import type { Logger } from '../core/logger.js';
import type { FleetResult } from '../fleet/errors.js';
import type { CommandResult } from '../fleet/vehicles.js';
import type { TransportChoice, VehicleSessionStore } from '../signing/session-store.js';
import type { VehicleCommandName } from '../model/actions.js';
import type { PairingStatus } from './pairing-status.js';
import { SignedCommandTransport } from './signed-transport.js';
import type { VehicleCommandTransport } from './vehicle-transport.js';

/** One command on its way: the translation was made once, when the transport was chosen. */
interface Job {
  vin: string;
  command: VehicleCommandName;
  body: Record<string, unknown>;
  translation: Translated;
}

type Translated = Awaited<ReturnType<typeof SignedCommandTransport.translate>>;

export interface AutoTransportDeps {
  rest: VehicleCommandTransport;
  signed: Pick<SignedCommandTransport, 'sendTranslated'>;
  store: VehicleSessionStore;
  pairing: PairingStatus;
  /** Whether a fleet key exists to sign with. */
  keyAvailable: () => boolean;
  log: Logger;
}

type Mode = TransportChoice['mode'];

/**
 * Signed or REST, per car, by what the car answers,
 * never by the `command_signing` flag: signed_command answered 422 → REST; REST answered 403
 * "Vehicle Command Protocol required" (or `unsigned_cmds_hardlocked`) → signed. The choice is
 * remembered per car in the session file, so it costs one extra request per car, once.
 * A car not seen yet is tried signed when there is a key, REST otherwise.
 */
export class AutoCommandTransport implements VehicleCommandTransport {
  private readonly deps: AutoTransportDeps;

  constructor(deps: AutoTransportDeps) {
    this.deps = deps;
  }

  /** What this car is known to take, if anything. */
  mode(vin: string): Mode | undefined {
    return this.deps.store.transport(vin)?.mode;
  }

  async send(vin: string, command: VehicleCommandName, body: Record<string, unknown>): Promise<FleetResult<CommandResult>> {
    const translation = await SignedCommandTransport.translate(command, body);
    if (translation.kind === 'rest_only') return this.deps.rest.send(vin, command, body);
    const remembered = this.mode(vin);
    const mode: Mode = remembered ?? (this.deps.keyAvailable() ? 'signed' : 'rest');
    const job: Job = { vin, command, body, translation };
    if (mode === 'rest' || (translation.kind === 'no_signed_form' && remembered === undefined)) return this.viaRest(job, remembered);
    if (translation.kind === 'no_signed_form') {
      return {
        ok: false,
        error: { kind: 'permanent', status: 400, message: `${vin} only takes signed commands, and ${command} has none: ${translation.why}` },
      };
    }
    return this.viaSigned(job, remembered);
  }

  private async viaSigned(job: Job, remembered: Mode | undefined): Promise<FleetResult<CommandResult>> {
    const { vin, command, body, translation } = job;
    const result = await this.deps.signed.sendTranslated(vin, command, translation);
    if (!result.ok && result.error.kind === 'permanent' && result.error.status === 422) {
      this.remember(vin, 'rest', 'signed_command answered 422: the car does not support the Vehicle Command Protocol');
      return this.viaRest(job, 'rest');
    }
    if (remembered !== undefined) return result;
    if (result.ok) {
      this.remember(vin, 'signed', 'the car accepted a signed command');
      return result;
    }
    if (this.deps.pairing.isUnpaired(vin)) {
      // Not paired, and nothing known about REST yet: a car that still takes REST gets its command.
      const rest = await this.deps.rest.send(vin, command, body);
      if (signingRequired(rest)) {
        this.remember(vin, 'signed', 'REST answered "Vehicle Command Protocol required"');
        return result;
      }
      if (rest.ok) this.remember(vin, 'rest', 'the key is not paired and the car accepted a REST command');
      return rest;
    }
    return result;
  }

  private async viaRest(job: Job, remembered: Mode | undefined): Promise<FleetResult<CommandResult>> {
    const { vin, command, body, translation } = job;
    const result = await this.deps.rest.send(vin, command, body);
    if (signingRequired(result)) {
      this.remember(vin, 'signed', 'REST answered "Vehicle Command Protocol required"');
      if (translation.kind === 'no_signed_form') {
        return {
          ok: false,
          error: { kind: 'permanent', status: 403, message: `${vin} only takes signed commands, and ${command} has none: ${translation.why}` },
        };
      }
      return this.deps.signed.sendTranslated(vin, command, translation);
    }
    if (result.ok && remembered === undefined) this.remember(vin, 'rest', 'the car accepted a REST command');
    return result;
  }

  private remember(vin: string, mode: Mode, reason: string): void {
    if (this.deps.store.transport(vin)?.mode === mode) return;
    this.deps.log.info(`${vin}: sending ${mode === 'signed' ? 'signed commands (Vehicle Command Protocol)' : 'REST commands'} from now on (${reason})`);
    this.deps.store.setTransport(vin, mode, reason);
  }
}

function signingRequired(result: FleetResult<CommandResult>): boolean {
  if (!result.ok) return result.error.kind === 'signingRequired';
  return result.value.result === false && result.value.reason === 'unsigned_cmds_hardlocked';
}
