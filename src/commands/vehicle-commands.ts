import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Config } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import type { DaemonEvents } from '../core/daemon-events.js';
import type { EventBus } from '../core/events.js';
import type { HealthRegistry } from '../core/health.js';
import type { Service } from '../core/lifecycle.js';
import type { Logger } from '../core/logger.js';
import type { FleetClient } from '../fleet/client.js';
import type { FleetError, FleetResult } from '../fleet/errors.js';
import { loadPrivateKey } from '../signing/keys.js';
import { VehicleSessionStore } from '../signing/session-store.js';
import type { VcpClient } from '../signing/vcp-client.js';
import { EcdhKey } from '../signing/vcp-crypto.js';
import { AutoCommandTransport } from './auto-transport.js';
import { PairingStatus } from './pairing-status.js';
import { loadProtocol } from './protocol-loader.js';
import { SignedCommandTransport } from './signed-transport.js';
import { RestCommandTransport } from './vehicle-transport.js';

/** Everything vehicle commands need, built once by main.ts. */
export interface VehicleCommands {
  /** The transport the executor uses: signed or REST per car. */
  transport: AutoCommandTransport;
  signed: SignedCommandTransport;
  store: VehicleSessionStore;
  pairing: PairingStatus;
  /** Saves the session file before the daemon exits. */
  service: Service;
}

export interface VehicleCommandsDeps {
  config: Pick<Config, 'data_dir' | 'tesla'>;
  fleet: FleetClient;
  clock: Clock;
  log: Logger;
  health: HealthRegistry;
  bus?: EventBus<DaemonEvents>;
  /** Randomness for uuids and routing addresses; crypto by default. */
  random?: (size: number) => Uint8Array;
}

/** POST signed_command with a RoutableMessage; the value is the car's reply (base64). Billed as a command. */
export function postSignedCommand(fleet: FleetClient, vin: string, routableMessage: Uint8Array): Promise<FleetResult<unknown>> {
  return fleet.call({
    method: 'POST',
    path: `/api/1/vehicles/${encodeURIComponent(vin)}/signed_command`,
    body: { routable_message: Buffer.from(routableMessage).toString('base64') },
    device: vin,
    command: true,
  });
}

export async function createVehicleCommands(deps: VehicleCommandsDeps): Promise<VehicleCommands> {
  const { config, fleet, clock, log, health } = deps;
  const store = await VehicleSessionStore.open(config.data_dir, log.child('storage'), clock);
  const pairing = new PairingStatus({ clock, log, domain: config.tesla.domain, ...(deps.bus ? { bus: deps.bus } : {}) });
  let client: Promise<VcpClient<FleetError>> | undefined;
  // Built on the first signed command: loading the protocol code costs memory a daemon without one does not need.
  const vcpClient = (): Promise<VcpClient<FleetError>> => {
    client ??= loadProtocol().then(
      ({ VcpClient }) =>
        new VcpClient({
          post: (vin, message) => postSignedCommand(fleet, vin, message),
          store,
          clock,
          random: deps.random ?? ((size) => randomBytes(size)),
          log,
        }),
    );
    return client;
  };
  const keyPath = config.tesla.private_key;
  let key: EcdhKey | undefined;
  // Read when first needed (a daemon without a key still runs REST cars), then kept.
  const loadKey = async (): Promise<EcdhKey> => (key ??= EcdhKey.fromKeyObject(await loadPrivateKey(keyPath)));
  const signed = new SignedCommandTransport({ client: vcpClient, key: loadKey, pairing });
  const transport = new AutoCommandTransport({
    rest: new RestCommandTransport(fleet),
    signed,
    store,
    pairing,
    keyAvailable: () => key !== undefined || existsSync(keyPath),
    log,
  });
  health.register('vehicle_keys', () => pairing.health());
  const service: Service = { name: 'vehicle-sessions', start: async () => undefined, stop: () => store.flush() };
  return { transport, signed, store, pairing, service };
}
