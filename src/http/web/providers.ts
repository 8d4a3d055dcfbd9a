import type { StreamingCard } from '../../telemetry/card.js';

/**
 * What the web page reads from parts of the daemon that are optional or not built yet. Each is
 * optional in WebDeps: when absent, its section says "not available yet" instead of guessing.
 */

/** Whether a car trusts this installation's key (virtual key pairing) and how commands reach it. */
export interface VehiclePairing {
  /** true: the key is on the car; false: not (yet); undefined: not known yet (the car was not asked). */
  paired: boolean | undefined;
  /** How commands are sent: "signed" (Vehicle Command Protocol) or "rest". */
  mode?: string;
  /** A sentence for people, e.g. why it is not known. */
  detail?: string;
  /** When the car was last asked (ms since epoch). */
  checkedAt?: number;
}

export interface PairingProvider {
  vehicle(vin: string): VehiclePairing | undefined;
}

/** An automation as the page lists it. */
export interface AutomationSummary {
  id: string;
  alias?: string;
  enabled: boolean;
  /** ms since epoch */
  lastRunAt?: number;
  lastResult?: string;
}

export interface AutomationsProvider {
  list(): readonly AutomationSummary[];
}

/** The built-in Fleet Telemetry receiver, as the page and /metrics show it. */
export interface ReceiverStatus {
  listening: boolean;
  /** `host:port` it listens on (or would). */
  listen: string;
  problem?: string;
  /** Everything refused since start, by cause. */
  refusals: Readonly<Record<string, number>>;
  /** Cars connected right now. */
  connections: readonly ReceiverConnection[];
}

/** One car's open connection to the built-in receiver. */
export interface ReceiverConnection {
  vin: string;
  since: number;
  lastMessageAt: number | undefined;
  /** When the car was last heard: a message, or a WebSocket ping it answered (telemetry/receiver/link-check.ts). */
  heardAt: number;
  /** A ping is out and not answered yet. */
  awaitingPong: boolean;
  messages: number;
}

export interface StreamingProvider {
  /** undefined while streaming is off or goes through Tesla's fleet-telemetry server. */
  receiver(): ReceiverStatus | undefined;
  /** The streaming card; undefined while streaming is off. */
  card?(): StreamingCard | undefined;
}
