import type { AuthSetup } from './auth/setup.js';
import type { TokenManager } from './auth/token-manager.js';
import type { CommandRouter } from './commands/router.js';
import type { VehicleCommands } from './commands/vehicle-commands.js';
import type { LoadedConfig } from './config/load.js';
import type { Clock } from './core/clock.js';
import type { DaemonEvents } from './core/daemon-events.js';
import type { EventBus } from './core/events.js';
import type { Lifecycle } from './core/lifecycle.js';
import type { Logger } from './core/logger.js';
import type { FleetClient } from './fleet/client.js';
import type { RegionResolver } from './fleet/region.js';
import type { HttpTransport } from './fleet/transport.js';
import type { HttpServer } from './http/server.js';
import type { DeviceRegistry } from './model/device-registry.js';
import type { MqttConnect, MqttConnection } from './mqtt/connection.js';
import type { EmbeddedBroker } from './mqtt/embedded-broker.js';
import type { UsageLedger } from './storage/usage-ledger.js';
import type { TelemetryService } from './telemetry/service.js';

/** What createDaemon (src/main.ts) takes and gives. */
export interface DaemonDeps {
  loaded: LoadedConfig;
  /** Demo mode: defaults, the built-in simulator, and an embedded broker that moves off a taken port. */
  demo: boolean;
  clock: Clock;
  log: Logger;
  mqttConnect?: MqttConnect;
  /** HTTP to Tesla; Node's http/https unless a test supplies another. */
  transport?: HttpTransport;
  /** [node, bin/teslahub.js]: lets token refreshes run in a detached worker process. */
  selfCommand?: readonly string[] | undefined;
}

/** What the CLI, tests and benches reach for; the rest stays inside the rooms. */
export interface Daemon {
  lifecycle: Lifecycle;
  bus: EventBus<DaemonEvents>;
  registry: DeviceRegistry;
  auth: AuthSetup;
  tokens: TokenManager;
  region: RegionResolver;
  fleet: FleetClient;
  ledger: UsageLedger;
  http: HttpServer;
  mqtt: MqttConnection;
  broker: EmbeddedBroker | undefined;
  router: CommandRouter;
  vehicleCommands: VehicleCommands;
  /** Fleet Telemetry (streaming), when telemetry.enabled. */
  telemetry: TelemetryService | undefined;
}
