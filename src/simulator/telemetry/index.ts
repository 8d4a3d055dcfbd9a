import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { World } from '../world/world.js';
import { CarStreamer, type DirectStreamOptions } from './car-streamer.js';
import { TelemetryConfigs } from './configs.js';
import { FleetTelemetryServer, type TelemetryServerOptions } from './server.js';

export type { TelemetryServerOptions } from './server.js';
export type { DirectStreamOptions } from './car-streamer.js';

/**
 * Fleet Telemetry in the simulator: Tesla's configuration state (the HTTP routes answer from it)
 * and the fleet-telemetry server that cars stream to, started on demand with the MQTT broker it
 * publishes to (`sim.telemetry.start({ brokerUrl, hostname })`), or the cars stream straight to
 * a receiver such as teslahub's built-in one (`sim.telemetry.streamDirect({ hostname, port, … })`).
 */
export class SimulatedTelemetry {
  readonly configs = new TelemetryConfigs();
  readonly server: FleetTelemetryServer;
  /** The cars streaming straight to a receiver over the real wire (teslahub's built-in one). */
  readonly cars: CarStreamer;

  constructor(deps: { world: World; clock: Clock; bill: (signals: number) => void; log?: Logger | undefined }) {
    this.server = new FleetTelemetryServer({
      world: deps.world,
      configs: this.configs,
      clock: deps.clock,
      bill: deps.bill,
      ...(deps.log ? { log: deps.log } : {}),
    });
    this.cars = new CarStreamer({ world: deps.world, configs: this.configs, clock: deps.clock, bill: deps.bill, log: deps.log });
  }

  /** Cars stream straight to a receiver at `hostname:port` (mutual TLS, FlatBuffers, acks). */
  streamDirect(options: DirectStreamOptions): void {
    this.cars.start(options);
  }

  start(options: TelemetryServerOptions): Promise<void> {
    return this.server.start(options);
  }

  stop(): Promise<void> {
    this.cars.stop();
    return this.server.stop();
  }
}
