import type { ReceiverStatus } from '../http/web/providers.js';
import type { TelemetryTopics } from '../mqtt/topics.js';
import type { TelemetryConsumer } from './consumer.js';

/** What an input hands the cars' messages to. */
export interface InputTarget {
  consumer: TelemetryConsumer;
  /** fleet-telemetry's topic tree (the MQTT input). */
  topics: TelemetryTopics;
  /** Saves what must survive a restart; the built-in receiver acks a message only after it. */
  flush: () => Promise<void>;
}

/**
 * Where the cars' values arrive: fleet-telemetry's MQTT output (`broker`) or teslahub's own
 * receiver (`receiver`). Either tells the service when it is up, so a car falls back to polling
 * while its values cannot arrive.
 */
export interface TelemetryInput {
  readonly kind: 'broker' | 'receiver';
  readonly url: string;
  onChange(listener: (up: boolean, problem: string | undefined) => void): void;
  attach(owner: object, target: InputTarget): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The built-in receiver's state (undefined for the MQTT input). */
  receiverStatus?(): ReceiverStatus;
  /** The built-in receiver's certificate chain (PEM) in use. */
  serverChain?(): string | undefined;
}
