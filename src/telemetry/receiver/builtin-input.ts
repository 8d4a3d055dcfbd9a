import type { Clock } from '../../core/clock.js';
import type { ReceiverStatus } from '../../http/web/providers.js';
import type { Logger } from '../../core/logger.js';
import type { InputTarget, TelemetryInput } from '../input.js';
import type { Record as TelemetryRecord } from '../wire/payload.js';
import { type ReceiverLimits, type ReceiverSink, TelemetryReceiver } from './receiver.js';
import type { TlsPaths } from './tls-files.js';

export interface BuiltinInputOptions {
  host: string;
  port: number;
  files: TlsPaths;
  limits: ReceiverLimits;
  /** Cars in use: only they may connect. */
  accepts: (vin: string) => boolean;
  clock: Clock;
  log: Logger;
  reloadCheckMs?: number;
}

/**
 * The built-in receiver as the service's input: cars connect to it directly, and each message is
 * handed to the consumer with the car's own time, then saved before it is acked.
 */
export class BuiltinInput implements TelemetryInput {
  readonly kind = 'receiver';
  readonly receiver: TelemetryReceiver;
  private target: InputTarget | undefined;
  private readonly listen: { host: string; port: number };

  constructor(options: BuiltinInputOptions) {
    this.listen = { host: options.host, port: options.port };
    const sink: ReceiverSink = {
      accepts: options.accepts,
      connected: (vin) => this.target?.consumer.carLink(vin, 'connected'),
      disconnected: (vin) => this.target?.consumer.carLink(vin, 'disconnected'),
      receive: (vin, record, carAt) => this.receive(vin, record, carAt),
    };
    this.receiver = new TelemetryReceiver({
      host: options.host,
      port: options.port,
      files: options.files,
      limits: options.limits,
      sink,
      clock: options.clock,
      log: options.log,
      ...(options.reloadCheckMs === undefined ? {} : { reloadCheckMs: options.reloadCheckMs }),
    });
  }

  get url(): string {
    return this.receiver.url;
  }

  onChange(listener: (up: boolean, problem: string | undefined) => void): void {
    this.receiver.onChange(listener);
  }

  attach(_owner: object, target: InputTarget): void {
    this.target = target;
  }

  start(): Promise<void> {
    return this.receiver.start();
  }

  serverChain(): string | undefined {
    return this.receiver.material?.cert;
  }

  receiverStatus(): ReceiverStatus {
    const { receiver } = this;
    const problem = receiver.problem;
    return {
      listening: receiver.listening,
      listen: `${this.listen.host}:${receiver.port ?? this.listen.port}`,
      ...(problem === undefined ? {} : { problem }),
      refusals: receiver.refusals.snapshot(),
      connections: receiver.connections(),
    };
  }

  stop(): Promise<void> {
    return this.receiver.stop();
  }

  private async receive(vin: string, record: TelemetryRecord, carAt: number): Promise<void> {
    const target = this.target;
    if (!target) throw new Error('the telemetry service is not attached yet');
    target.consumer.fromCar(vin, record, carAt);
    await target.flush();
  }
}
