import type { DeviceKind } from '../core/devices.js';
import type { Service } from '../core/lifecycle.js';
import type { Logger } from '../core/logger.js';
import type { IncomingMessage, MqttConnection } from './connection.js';
import type { Topics } from './topics.js';

/** The router as MQTT sees it: one request in, one result out. */
export interface CommandRunner<Result> {
  run(request: { kind: DeviceKind; topicId: string; entity: string; payload: Uint8Array; who: string }): Promise<Result>;
}

const MAX_REMEMBERED_REFUSALS = 100;

/**
 * The `<base>/<kind>/<id>/<entity>/set` topics: each non-retained message becomes one command for
 * the router, and its result goes back on the MQTT 5 response topic when the request named a safe one.
 */
export class MqttCommands<Result> implements Service {
  readonly name = 'mqtt-commands';
  /** Response topics already refused, so a flood of them is logged once each (bounded). */
  private readonly refusedReplyTopics = new Set<string>();
  private readonly deps: { connection: MqttConnection; topics: Topics; router: CommandRunner<Result>; log: Logger };

  constructor(deps: MqttCommands<Result>['deps']) {
    this.deps = deps;
  }

  async start(): Promise<void> {
    this.deps.connection.subscribe(this, this.deps.topics.commandFilter, (message) => this.onMessage(message));
  }

  async stop(): Promise<void> {
    this.deps.connection.unsubscribeOwner(this);
  }

  private async onMessage(message: IncomingMessage): Promise<void> {
    const parsed = this.deps.topics.parse(message.topic);
    if (parsed.kind !== 'command') return;
    if (message.retain) {
      // A retained command would be replayed on every reconnect: never act on one.
      this.deps.log.warn(
        `ignored a retained message on ${message.topic}: commands must not be retained (fix: clear it with mosquitto_pub -r -n -t '${message.topic}')`,
      );
      return;
    }
    const result = await this.deps.router.run({ kind: parsed.device, topicId: parsed.id, entity: parsed.entity, payload: message.payload, who: 'mqtt' });
    if (message.responseTopic !== undefined) this.reply(message.responseTopic, message.correlationData, result);
  }

  /** The MQTT 5 reply, on the requester's response topic when that is a safe place to publish. */
  private reply(topic: string, correlationData: Buffer | undefined, result: Result): void {
    const { topics, connection, log } = this.deps;
    const problem = topics.responseTopicProblem(topic, connection.filters);
    if (problem) {
      const first = this.refusedReplyTopics.size < MAX_REMEMBERED_REFUSALS && !this.refusedReplyTopics.has(topic);
      if (first) this.refusedReplyTopics.add(topic);
      const line = `did not reply on response topic ${JSON.stringify(topic.slice(0, 200))}: ${problem} (the result is on ${topics.bridgeEvent}; fix: name a response topic of your own, outside ${topics.base}/)`;
      if (first) log.warn(line);
      else log.debug(line);
      return;
    }
    connection.publish(topic, JSON.stringify(result), { retain: false, qos: 1, ...(correlationData ? { properties: { correlationData } } : {}) });
  }
}
