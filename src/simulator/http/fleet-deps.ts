import type { Clock } from '../../core/clock.js';
import type { AuthServer } from '../auth/auth-server.js';
import type { Client } from '../auth/clients.js';
import type { Region } from '../types.js';
import type { World } from '../world/world.js';
import type { RateLimiter } from './rate-limits.js';
import type { TelemetryConfigs } from '../telemetry/configs.js';

/** What the Fleet API handlers need from the simulator. */
export interface FleetDeps {
  world: World;
  auth: AuthServer;
  clients: Map<string, Client>;
  clock: Pick<Clock, 'now'>;
  regionBaseUrl(region: Region): string;
  /** undefined when rate limits are off. */
  rateLimiter: RateLimiter | undefined;
  fetchPublicKey(domain: string): Promise<string | undefined>;
  /** Fleet Telemetry configurations and reported errors (telemetry-routes.ts). */
  telemetry?: TelemetryConfigs;
}
