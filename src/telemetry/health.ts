import { explainErrors, type Verdict } from './explain.js';
import type { TelemetryError } from './partner-errors.js';

/** Everything known about one car's stream, for deciding whether polling is needed. */
export interface StreamFacts {
  /** The car's configuration as the last check saw it (undefined: not checked yet). */
  config: Verdict | undefined;
  /** Errors Tesla lists for this car. */
  errors: readonly TelemetryError[];
  /** The subscription to fleet-telemetry's broker is up, and since when. */
  feedUp: boolean;
  feedUpSince: number | undefined;
  feedProblem: string | undefined;
  /** Where the stream arrives: fleet-telemetry's broker (default) or teslahub's own receiver. */
  input?: 'broker' | 'receiver' | undefined;
  /** connectivity: the car's link to the fleet-telemetry server, as last reported. */
  link: 'connected' | 'disconnected' | 'unknown';
  /** When the car last connected, by a live connectivity message in this feed session. */
  connectedAt: number | undefined;
  /** The last live (not replayed) message from this car in this feed session. */
  lastLiveAt: number | undefined;
  /** When the configuration was last found usable (the heartbeat clock cannot start before). */
  configOkAt?: number | undefined;
  /** The heartbeat the configuration promises (resend interval), ms. */
  heartbeatMs: number;
}

export interface StreamHealth {
  streaming: boolean;
  reason: string;
  /** When to look again if nothing arrives (the heartbeat deadline). */
  recheckAt?: number;
}

/**
 * Whether a car's stream can be relied on, so that polling it is unnecessary. Polling is the
 * fallback only when streaming is known to be unusable: no usable
 * configuration, the broker unreachable, errors listed, or a connected car silent for two
 * heartbeats. A car that disconnected (asleep, offline) streams fine: it reports when it wakes.
 * Values that arrived live outweigh a listed error: Tesla's list is of recent errors, not current ones.
 */
export function streamHealth(facts: StreamFacts, now: number): StreamHealth {
  const { config } = facts;
  const deadline = 2 * facts.heartbeatMs;
  const live = facts.feedUpSince !== undefined && facts.lastLiveAt !== undefined && facts.lastLiveAt >= facts.feedUpSince ? facts.lastLiveAt : undefined;
  const liveNow = live !== undefined && now - live <= deadline;
  if (config === undefined) return { streaming: false, reason: "checking the car's streaming configuration" };
  // A car that streams has adopted its configuration, whatever the last check said.
  if (!config.ok && !(config.code === 'not_synced' && liveNow && facts.feedUp)) return { streaming: false, reason: `${config.message} (fix: ${config.fix})` };
  if (!facts.feedUp || facts.feedUpSince === undefined) {
    const what = facts.input === 'receiver' ? 'the telemetry receiver is not listening' : 'the telemetry broker cannot be reached';
    return { streaming: false, reason: `${what}${facts.feedProblem ? ` (${facts.feedProblem})` : ''}` };
  }
  if (liveNow && live !== undefined) {
    return {
      streaming: true,
      reason: facts.link === 'disconnected' ? 'the car is asleep or offline; it streams again when it wakes' : 'values arrive from the car',
      recheckAt: live + deadline,
    };
  }
  if (facts.errors.length > 0) {
    const explained = explainErrors(facts.errors);
    return { streaming: false, reason: `${explained.message} (fix: ${explained.fix})` };
  }
  if (facts.link === 'disconnected') return { streaming: true, reason: 'the car is asleep or offline; it streams again when it wakes' };
  // Never seen on the stream: no reason yet to believe it works.
  if (facts.link === 'unknown' && facts.lastLiveAt === undefined)
    return { streaming: false, reason: 'waiting for the first values from the car (it connects when it is awake)' };
  // Connected: the heartbeat clock runs from the newest sign of life, or from when listening could start.
  const since = Math.max(facts.feedUpSince, facts.configOkAt ?? 0, live ?? 0, facts.connectedAt ?? 0);
  if (now - since <= deadline) {
    return {
      streaming: true,
      reason: live === undefined ? "waiting for the car's next values (heartbeat)" : 'values arrive from the car',
      recheckAt: since + deadline,
    };
  }
  const seconds = Math.round((now - since) / 1000);
  return {
    streaming: false,
    reason:
      facts.link === 'connected'
        ? facts.input === 'receiver'
          ? `no heartbeat for ${seconds} s although the car is connected`
          : `no heartbeat for ${seconds} s although the car is connected (fleet-telemetry's server or its broker link may be down)`
        : `nothing heard from the car for ${seconds} s, and its link state is unknown`,
  };
}
