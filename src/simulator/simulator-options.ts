import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { SCOPES, type ScenarioInput, type Scope } from './scenario/schema.js';
import type { Region } from './types.js';

export interface SimulatorOptions {
  /** Shared with the daemon in tests and benchmarks. */
  clock: Clock;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Default: the built-in demo scenario. A parsed Scenario or its input form (defaults are filled in). */
  scenario?: ScenarioInput;
  log?: Logger;
  /** Default 28800 (8 h, as Tesla). */
  accessTokenLifetimeSeconds?: number;
  /** Default 90 days. */
  refreshTokenLifetimeSeconds?: number;
  /** Is GET /api/1/vehicles/{vin} billed as data? Default false. */
  stateCallBilled?: boolean;
  /** Per-vehicle limits (60 data, 30 commands, 3 wakes a minute) with 429 + Retry-After. Default true. */
  rateLimits?: boolean;
  /** Authorize insists on PKCE S256 even for confidential apps. Default true. */
  requirePkce?: boolean;
  /** How partner registration fetches an app's public key PEM. Default: http://<domain>/.well-known/appspecific/com.tesla.3p.public-key.pem */
  fetchPublicKey?: (domain: string) => Promise<string | undefined>;
  /**
   * Regions where every app counts as registered (partner_accounts); elsewhere user calls get 412.
   * Default: each scenario client's own list, and all regions for the demo client.
   */
  registeredRegions?: readonly Region[];
  /** Keep at most this many entries in the request log (counts and cost stay exact). Default: all. */
  requestLogLimit?: number;
}

export interface TokenOptions {
  scopes?: readonly (Scope | string)[] | undefined;
  clientId?: string | undefined;
  /** Which account (default the first). */
  email?: string | undefined;
}

export const ALL_USER_SCOPES: Scope[] = [...SCOPES];
