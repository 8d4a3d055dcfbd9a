import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../core/clock.js';
import { errnoCode, errorMessage, UserError } from '../core/errors.js';
import { AuthServer } from './auth/auth-server.js';
import { buildClients, type Client, DEMO_CLIENT_ID } from './auth/clients.js';
import { JwtSigner } from './auth/jwt.js';
import { fetchPublicKeyOverHttp } from './auth/public-key.js';
import { handleAuth } from './http/auth-routes.js';
import { classify } from './http/classify.js';
import { BodyTooLarge, formBody, readBody, reply, type SimContext } from './http/context.js';
import { answerFault, holdReply } from './http/fault-answer.js';
import { handleControl, type SimControls } from './http/control-routes.js';
import { FaultStore } from './http/faults.js';
import type { FleetDeps } from './http/fleet-deps.js';
import { handleFleet } from './http/fleet-router.js';
import { RateLimiter } from './http/rate-limits.js';
import { RequestLog, simRequest } from './http/request-log.js';
import { teslaError } from './http/tesla-errors.js';
import { demoScenario } from './scenario/demo.js';
import { parseScenario } from './scenario/load.js';
import { ALL_USER_SCOPES, type SimulatorOptions, type TokenOptions } from './simulator-options.js';
import { REGIONS, type BillingReport, type FaultRule, type Region, type SimRequest } from './types.js';
import { WorldError } from './world/errors.js';
import { World } from './world/world.js';
import { SimulatedTelemetry } from './telemetry/index.js';

export type { SimulatorOptions, TokenOptions } from './simulator-options.js';

/**
 * Tesla's Fleet API, its OAuth server and a world of cars and energy sites, on one real HTTP
 * server. Regions live under path prefixes (`${url}/na`, `/eu`, `/cn`), OAuth under
 * `${url}/oauth2/v3/…`, test controls under `${url}/__sim/…` (http/control-routes.ts).
 */
export class Simulator implements SimControls {
  readonly world: World;
  readonly clock: Clock;
  /** Fleet Telemetry: configurations (HTTP) and the fleet-telemetry server role (MQTT). */
  readonly telemetry: SimulatedTelemetry;
  private readonly options: SimulatorOptions;
  private readonly signer = new JwtSigner();
  private readonly clients: Map<string, Client>;
  private readonly auth: AuthServer;
  private readonly faultStore = new FaultStore();
  private readonly requestLog: RequestLog;
  private readonly fleetDeps: FleetDeps;
  private server: Server | undefined;
  private baseUrl: string | undefined;
  private stopping = new AbortController();
  private inflight = 0;

  constructor(options: SimulatorOptions) {
    this.options = options;
    this.clock = options.clock;
    const scenario = options.scenario === undefined ? demoScenario() : parseScenario(options.scenario);
    this.world = new World({ scenario, clock: options.clock, ...(options.log ? { log: options.log } : {}) });
    this.clients = buildClients(scenario);
    if (options.registeredRegions) {
      for (const client of this.clients.values()) client.registered = new Set(options.registeredRegions);
    }
    this.requestLog = new RequestLog(options.requestLogLimit);
    this.telemetry = new SimulatedTelemetry({
      world: this.world,
      clock: options.clock,
      bill: (signals) => this.requestLog.addSignals(signals),
      log: options.log,
    });
    this.auth = new AuthServer({
      clock: options.clock,
      signer: this.signer,
      clients: this.clients,
      accounts: () => this.world.accounts,
      issuer: () => this.issuer,
      regionBaseUrl: (region) => this.regionBaseUrl(region),
      accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds ?? 28_800,
      refreshTokenLifetimeSeconds: options.refreshTokenLifetimeSeconds ?? 90 * 86_400,
      requirePkce: options.requirePkce ?? true,
    });
    this.fleetDeps = {
      world: this.world,
      auth: this.auth,
      clients: this.clients,
      clock: options.clock,
      regionBaseUrl: (region) => this.regionBaseUrl(region),
      rateLimiter: options.rateLimits === false ? undefined : new RateLimiter(),
      fetchPublicKey: options.fetchPublicKey ?? fetchPublicKeyOverHttp,
      telemetry: this.telemetry.configs,
    };
  }

  async start(): Promise<void> {
    if (this.server) return;
    const host = this.options.host ?? '127.0.0.1';
    const port = this.options.port ?? 0;
    const server = createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) => {
        reject(
          errnoCode(error) === 'EADDRINUSE'
            ? new UserError(`port ${port} on ${host} is already in use`, 'choose another port with --port, or 0 for any free port')
            : error,
        );
      });
      server.listen(port, host, () => resolve());
    });
    this.stopping = new AbortController();
    this.server = server;
    const bound = (server.address() as AddressInfo).port;
    // A wildcard address is not something a client can call; loopback reaches it.
    const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    this.baseUrl = `http://${shown}:${bound}`;
    this.options.log?.info(`Fleet API simulator listening on ${this.baseUrl}`);
  }

  /** Closes the server and every connection at once; requests held by a slow fault are dropped. */
  async stop(): Promise<void> {
    await this.telemetry.stop();
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.stopping.abort(new Error('simulator stopped'));
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  get url(): string {
    if (this.baseUrl === undefined) throw new Error('Simulator.url is known once start() has resolved');
    return this.baseUrl;
  }

  /** The Fleet API base URL of a region, e.g. `${url}/na`. */
  regionBaseUrl(region: Region): string {
    return `${this.url}/${region}`;
  }

  /** OAuth lives under `${authBaseUrl}/oauth2/v3/…`. */
  get authBaseUrl(): string {
    return this.url;
  }

  get issuer(): string {
    return `${this.url}/oauth2/v3/nts`;
  }

  now(): number {
    return this.clock.now();
  }

  /** Every answered request except the /__sim/ controls, in order. */
  requests(): SimRequest[] {
    return this.requestLog.requests();
  }

  billing(): BillingReport {
    return this.requestLog.billing();
  }

  /** Starts a fresh request log and bill (e.g. after a test's set-up). */
  resetRequests(): void {
    this.requestLog.clear();
  }

  /** Adds a fault rule; returns its id. */
  addFault(rule: FaultRule): number {
    return this.faultStore.add(rule);
  }

  clearFaults(): void {
    this.faultStore.clear();
  }

  faults(): unknown[] {
    return this.faultStore.list();
  }

  /** Requests currently being answered (a test waits for a slow fault to be pending before moving the clock). */
  inFlight(): number {
    return this.inflight;
  }

  /** Moves an account (default the first) to another region: its calls elsewhere get 421. */
  setAccountRegion(region: Region, email?: string): void {
    const account = email === undefined ? this.world.accounts[0] : this.world.accountByEmail(email);
    if (!account) throw new WorldError(`no account ${email ?? ''}`);
    account.region = region;
  }

  /** Whether an app (default: every app) counts as registered in a region; unregistered → 412. */
  setRegistered(region: Region, registered: boolean, clientId?: string): void {
    for (const client of this.clients.values()) {
      if (clientId !== undefined && client.clientId !== clientId) continue;
      if (registered) client.registered.add(region);
      else client.registered.delete(region);
    }
  }

  isRegistered(region: Region, clientId = DEMO_CLIENT_ID): boolean {
    return this.clients.get(clientId)?.registered.has(region) ?? false;
  }

  /** Every refresh token stops working (the next refresh gets 401 login_required). */
  revokeRefreshTokens(): void {
    this.auth.revokeRefreshTokens();
  }

  /** Every access token issued so far is refused (401), as after a password change. */
  invalidateAccessTokens(): void {
    this.auth.invalidateAccessTokens();
  }

  /** A token response as after a browser login, without the browser (default: every scope, the demo app). */
  issueTokens(options: TokenOptions = {}): Record<string, unknown> {
    const account = options.email === undefined ? this.world.accounts[0] : this.world.accountByEmail(options.email);
    if (!account) throw new WorldError(`no account ${options.email ?? ''}`);
    return this.auth.issueUserTokens(account, options.clientId ?? DEMO_CLIENT_ID, [...(options.scopes ?? ALL_USER_SCOPES)], undefined);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator.invalid');
    const ctx: SimContext = {
      req,
      res,
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      rawBody: '',
      record: { category: null },
    };
    try {
      ctx.rawBody = await readBody(req);
    } catch (error) {
      if (error instanceof BodyTooLarge) reply(ctx, 413, teslaError('request too large'));
      else res.destroy();
      return;
    }
    if (ctx.path === '/__sim' || ctx.path.startsWith('/__sim/')) {
      try {
        this.world.advanceTo();
        handleControl(ctx, this);
      } catch (error) {
        this.options.log?.error('simulator control failed', { path: ctx.path, error: errorMessage(error) });
        reply(ctx, 500, { error: 'internal', message: errorMessage(error) });
      }
      return;
    }
    this.inflight += 1;
    try {
      this.world.advanceTo();
      const info = this.describe(ctx);
      const fault = this.faultStore.take({ method: ctx.method, path: ctx.path, vin: ctx.record.vin, grantType: ctx.record.grantType });
      if (fault?.delayMs) {
        await this.clock.sleep(fault.delayMs, this.stopping.signal);
        this.world.advanceTo();
      }
      if (fault?.replyDelayMs) holdReply(ctx.res, this.clock, fault.replyDelayMs, this.stopping.signal);
      if (fault && fault.status !== 0) answerFault(ctx, fault, { world: this.world, regionBaseUrl: (region) => this.regionBaseUrl(region) });
      else await this.route(ctx, info.region, info.apiPath);
    } catch (error) {
      if (this.stopping.signal.aborted) {
        res.destroy();
        return;
      }
      this.options.log?.error('simulator request failed', { method: ctx.method, path: ctx.path, error: errorMessage(error) });
      reply(ctx, 500, teslaError('internal simulator error', errorMessage(error)));
    } finally {
      this.inflight -= 1;
      if (res.headersSent) this.record(ctx);
    }
  }

  private describe(ctx: SimContext): ReturnType<typeof classify> {
    const info = classify(ctx.method, ctx.path, this.options.stateCallBilled ?? false);
    ctx.record.category = info.category;
    if (info.region) ctx.record.region = info.region;
    if (info.vehicleTag !== undefined) ctx.record.vin = this.world.vehicle(info.vehicleTag)?.vin ?? info.vehicleTag;
    if (info.siteId !== undefined) ctx.record.siteId = info.siteId;
    if (ctx.path === '/oauth2/v3/token' && ctx.method === 'POST') {
      const grant = formBody(ctx).grant_type;
      if (grant !== undefined) ctx.record.grantType = grant;
    }
    return info;
  }

  private async route(ctx: SimContext, region: Region | undefined, apiPath: string | undefined): Promise<void> {
    if (ctx.path.startsWith('/oauth2/')) {
      handleAuth(ctx, { auth: this.auth, signer: this.signer, url: () => this.url, issuer: () => this.issuer });
    } else if (region && apiPath) {
      await handleFleet(ctx, this.fleetDeps, region, apiPath);
    } else if (ctx.path === '/') {
      reply(ctx, 200, {
        simulator: 'teslahub Fleet API simulator',
        auth_base_url: this.authBaseUrl,
        issuer: this.issuer,
        fleet_api_base_urls: Object.fromEntries(REGIONS.map((r) => [r, this.regionBaseUrl(r)])),
        controls: `${this.url}/__sim/world`,
      });
    } else {
      reply(ctx, 404, teslaError('not_found', `nothing at ${ctx.path}`));
    }
  }

  private record(ctx: SimContext): void {
    const entry = simRequest(ctx, this.clock.now());
    this.requestLog.add(entry);
    this.options.log?.debug(`${ctx.method} ${ctx.path} → ${entry.status}`, entry.billed ? { billed: entry.category } : undefined);
  }
}
