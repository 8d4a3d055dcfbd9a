import { UserError } from '../core/errors.js';
import type { FleetError, FleetResult } from '../fleet/errors.js';
import type { CommandResult } from '../fleet/vehicles.js';
import { CommandBodyError } from './command-body.js';
import { loadProtocol } from './protocol-loader.js';
import type { Translation } from './translate.js';
import type { EcdhKey } from '../signing/vcp-crypto.js';
import type { VcpClient, VcpFailure } from '../signing/vcp-client.js';
import { domainName } from '../signing/domain-name.js';
import type { VehicleCommandName } from '../model/actions.js';
import type { PairingStatus } from './pairing-status.js';
import type { VehicleCommandTransport } from './vehicle-transport.js';

export interface SignedTransportDeps {
  /** The protocol client, built on the first signed command (it loads the protobuf code). */
  client: () => Promise<VcpClient<FleetError>>;
  /** The fleet key as a signing key; throws UserError (with its fix) when there is none. */
  key: () => Promise<EcdhKey>;
  pairing: PairingStatus;
}

/**
 * Vehicle commands as the Vehicle Command Protocol (HMAC-signed, through signed_command). The
 * answer has the REST transport's shape, so the executor cannot tell the two apart; failures map
 * onto the Fleet error set, keeping `possibleSuccess` where the car may have acted.
 */
export class SignedCommandTransport implements VehicleCommandTransport {
  private readonly deps: SignedTransportDeps;

  constructor(deps: SignedTransportDeps) {
    this.deps = deps;
  }

  /** The protocol message for a command, or a typed refusal (never throws for a bad body). */
  static async translate(command: VehicleCommandName, body: Record<string, unknown>): Promise<Translation | { kind: 'invalid'; message: string }> {
    const { translateCommand } = await loadProtocol();
    try {
      return translateCommand(command, body);
    } catch (error) {
      if (error instanceof CommandBodyError) return { kind: 'invalid', message: error.message };
      throw error;
    }
  }

  async send(vin: string, command: VehicleCommandName, body: Record<string, unknown>): Promise<FleetResult<CommandResult>> {
    return this.sendTranslated(vin, command, await SignedCommandTransport.translate(command, body));
  }

  /** Sends a command already translated (the caller translated it once to choose the transport). */
  async sendTranslated(
    vin: string,
    command: VehicleCommandName,
    translation: Awaited<ReturnType<typeof SignedCommandTransport.translate>>,
  ): Promise<FleetResult<CommandResult>> {
    switch (translation.kind) {
      case 'invalid':
        return { ok: false, error: { kind: 'permanent', status: 400, message: `not sent: ${translation.message}` } };
      case 'rest_only':
      case 'no_signed_form':
        return { ok: false, error: { kind: 'permanent', status: 400, message: `${command} cannot be sent as a signed command: ${translation.why}` } };
      case 'signed':
        break;
    }
    const wait = this.deps.pairing.waitBeforeAsking(vin);
    if (wait !== undefined) {
      return {
        ok: false,
        error: {
          kind: 'permanent',
          status: 200,
          message: `the car does not know teslahub's key (not paired; asked ${Math.ceil(wait / 1000)} s too early to ask again)`,
          fix: this.deps.pairing.fix(vin),
        },
      };
    }
    let key: EcdhKey;
    try {
      key = await this.deps.key();
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      return {
        ok: false,
        error: {
          kind: 'permanent',
          status: 0,
          message: `signed commands need the fleet key: ${error.message}`,
          fix: error.fix ?? 'run "teslahub keys generate", then pair the key with the car',
        },
      };
    }
    const client = await this.deps.client();
    const result = await client.execute(vin, translation.domain, translation.payload, key);
    if (result.ok) {
      this.deps.pairing.notePaired(vin);
      return { ok: true, value: { result: result.outcome.kind === 'ok', reason: result.outcome.reason }, status: 200 };
    }
    return { ok: false, error: this.failure(vin, result.failure, (await loadProtocol()).describeFault) };
  }

  private failure(vin: string, failure: VcpFailure<FleetError>, describeFault: (fault: number) => string): Extract<FleetResult<never>, { ok: false }>['error'] {
    switch (failure.kind) {
      case 'http':
        return failure.error;
      case 'notPaired':
        this.deps.pairing.noteUnpaired(vin, domainName(failure.domain));
        return {
          kind: 'permanent',
          status: 200,
          message: `the car does not know teslahub's key (not paired with its ${domainName(failure.domain)} domain)`,
          fix: this.deps.pairing.fix(vin),
        };
      case 'fault':
        return { kind: 'permanent', status: 200, message: `the car refused the signed command: ${describeFault(failure.fault)}` };
      case 'reply':
        return failure.possibleSuccess
          ? { kind: 'possibleSuccess', message: `${failure.message}; the command may have been carried out` }
          : { kind: 'transient', status: 200, message: failure.message };
      case 'exhausted':
        return { kind: 'transient', status: 200, message: failure.message };
    }
  }
}
