import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { World } from '../world/world.js';
import { TelemetryConfigs } from './configs.js';
import { FleetTelemetryServer, type TelemetryServerOptions } from './server.js';

export type { TelemetryServerOptions } from './server.js';

/**
 * Fleet Telemetry in the simulator: Tesla's configuration state (the HTTP routes answer from it)
 * and the fleet-telemetry server that cars stream to, started on demand with the MQTT broker it
 * publishes to (`sim.telemetry.start({ brokerUrl, hostname })`).
 */
export class SimulatedTelemetry {
  readonly configs = new TelemetryConfigs();
  readonly server: FleetTelemetryServer;

  constructor(deps: { world: World; clock: Clock; bill: (signals: number) => void; log?: Logger | undefined }) {
    this.server = new FleetTelemetryServer({
      world: deps.world,
      configs: this.configs,
      clock: deps.clock,
      bill: deps.bill,
      ...(deps.log ? { log: deps.log } : {}),
    });
  }

  start(options: TelemetryServerOptions): Promise<void> {
    return this.server.start(options);
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}
