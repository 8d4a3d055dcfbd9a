import type { FakeClock } from '../../src/core/fake-clock.js';
import type { CategoryCounts } from '../../src/fleet/pricing.js';
import type { HttpTransport } from '../../src/fleet/transport.js';
import type { Simulator } from '../../src/simulator/index.js';

/** What a policy under test gets: the shared world and clock, and the wire to reach it. */
export interface PolicyContext {
  sim: Simulator;
  clock: FakeClock;
  /** The counting transport: every Fleet request of the policy goes through it. */
  transport: HttpTransport;
  /** Whether this run assumes Tesla bills the state call (the policy is told, as its config would say). */
  stateCallBilled: boolean;
  /** A fresh folder for the policy's files. */
  dir: string;
  /** How the streaming policy's values reach the daemon (default: the built-in receiver). */
  streamingPath?: 'builtin' | 'mqtt';
}

/** What the bench reads from a policy each simulated minute: only what the policy itself holds. */
export interface PolicyView {
  /** When the policy last received vehicle_data for this car (its battery level is that old). */
  dataAt(vin: string): number | undefined;
  /** When the newest Wall Connector reading the policy holds that names this car was taken. */
  wallConnectorAt(vin: string): number | undefined;
  /** The battery level the policy shows for this car now (a reading or an estimate); undefined: none yet or not measured. */
  batteryLevel?(vin: string): number | undefined;
}

export interface RunningPolicy {
  view: PolicyView;
  /** Billed calls as the policy's own meter counted them (cross-checked against the simulator). */
  meterCounts(): CategoryCounts;
  /** Warnings and errors the policy logged, for the report. */
  warnings(): string[];
  /** Work of its own still under way (streamed values on their way), so a step is not over yet. */
  busy?(): boolean;
  stop(): Promise<void>;
}

/** teslahub polling, Home Assistant's baseline, and teslahub with Fleet Telemetry. */
export type PolicyName = 'teslahub' | 'baseline' | 'streaming';
export const POLICY_NAMES: readonly PolicyName[] = ['teslahub', 'baseline', 'streaming'];

export type StartPolicy = (context: PolicyContext) => Promise<RunningPolicy>;
