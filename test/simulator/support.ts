import { createHash, randomBytes } from 'node:crypto';
import { FakeClock } from '../../src/core/fake-clock.js';
import { Simulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { defineScenario, type Scenario, type ScenarioInput } from '../../src/simulator/index.js';
import { World } from '../../src/simulator/world/world.js';

/** Monday 2026-06-22 00:00 in Los Angeles (07:00 UTC): a full summer day ahead. */
export const LA_MIDNIGHT = Date.UTC(2026, 5, 22, 7, 0);
export const TZ = 'America/Los_Angeles';
export const M3_VIN = '5YJ3E1EA0PF000001';
/** A 2017 Model S: pre-2021, kept awake by polling. */
export const OLD_S_VIN = '5YJSA1E26HF000002';
export const SITE_ID = '1234567890123456';
export const WC_DIN = '1734412-02-E--PGT000000001';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** A car, and a home with one Powerwall, 7 kW of solar and a Wall Connector; no scripted events unless given. */
export function homeScenario(extra: Partial<ScenarioInput> = {}, vehicle: Record<string, unknown> = {}): Scenario {
  return defineScenario({
    timeZone: TZ,
    // A whole 75 kWh pack, so levels and energies in these tests are round numbers.
    vehicles: [{ vin: M3_VIN, name: 'Test 3', batteryLevel: 50, chargeLimit: 80, batteryKwh: 75, ...vehicle }],
    energySites: [
      {
        id: SITE_ID,
        name: 'Test Home',
        batteries: 1,
        batteryLevel: 50,
        solarKw: 7,
        wallConnectors: [{ din: WC_DIN, maxAmps: 48, voltage: 240, phases: 1 }],
      },
    ],
    ...extra,
  } as ScenarioInput);
}

export function worldAt(start: number, scenario: Scenario): { clock: FakeClock; world: World } {
  const clock = new FakeClock(start);
  return { clock, world: new World({ scenario, clock }) };
}

/** Moves the fake clock and the world together (no timers involved). */
export async function pass(clock: FakeClock, world: World, ms: number): Promise<void> {
  await clock.advance(ms);
  world.advanceTo();
}

/** Answers are deep JSON that tests assert on field by field; `any` keeps those reads short. */
export interface ApiAnswer {
  status: number;
  body: any;
  headers: Headers;
}

export class Api {
  readonly base: string;
  token: string | undefined;

  constructor(base: string, token?: string) {
    this.base = base;
    this.token = token;
  }

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // plain text answers stay text
    }
    return { status: response.status, body: parsed, headers: response.headers };
  }

  get(path: string): Promise<ApiAnswer> {
    return this.call('GET', path);
  }

  post(path: string, body: unknown = {}): Promise<ApiAnswer> {
    return this.call('POST', path, body);
  }
}

export async function startSim(
  options: Partial<SimulatorOptions> = {},
  start = LA_MIDNIGHT + 12 * HOUR,
): Promise<{ sim: Simulator; clock: FakeClock; api: Api }> {
  const clock = (options.clock as FakeClock | undefined) ?? new FakeClock(start);
  const sim = new Simulator({ ...options, clock });
  await sim.start();
  const api = new Api(sim.url, String(sim.issueTokens().access_token));
  return { sim, clock, api };
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function decodeJwt(token: string): { header: any; claims: any } {
  const [header = '', claims = ''] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString()),
    claims: JSON.parse(Buffer.from(claims, 'base64url').toString()),
  };
}
