import mqtt, { type MqttClient } from 'mqtt';

export interface ReceivedMessage {
  topic: string;
  payload: string;
  retain: boolean;
  at: number;
}

/**
 * A test-side MQTT client that records what it sees, so tests can wait for a topic to reach a
 * value. It retries connecting, because some tests start it before the broker.
 */
export class MqttProbe {
  readonly messages: ReceivedMessage[] = [];
  private readonly client: MqttClient;
  private readonly waiters = new Set<() => void>();

  private constructor(client: MqttClient) {
    this.client = client;
    client.on('message', (topic, payload, packet) => {
      this.messages.push({ topic, payload: payload.toString(), retain: packet.retain, at: Date.now() });
      for (const wake of [...this.waiters]) wake();
    });
  }

  static async connect(url: string, subscriptions: string[] = ['#']): Promise<MqttProbe> {
    const client = mqtt.connect(url, { reconnectPeriod: 200, connectTimeout: 5000, clientId: `probe-${Math.random().toString(16).slice(2)}` });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`probe could not connect to ${url}`)), 10_000);
      client.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    // Listen first: retained messages arrive right after the subscription is granted.
    const probe = new MqttProbe(client);
    await client.subscribeAsync(subscriptions, { qos: 1 });
    return probe;
  }

  /** Latest payload seen on `topic`. */
  last(topic: string): ReceivedMessage | undefined {
    for (let i = this.messages.length - 1; i >= 0; i--) {
      const message = this.messages[i];
      if (message?.topic === topic) return message;
    }
    return undefined;
  }

  /** Resolves with the first message (already seen or future) on `topic` that passes `match`. */
  waitFor(topic: string, match: (message: ReceivedMessage) => boolean, timeoutMs = 10_000, since = 0): Promise<ReceivedMessage> {
    const find = (): ReceivedMessage | undefined => this.messages.slice(since).find((m) => m.topic === topic && match(m));
    const found = find();
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        const seen = this.messages.filter((m) => m.topic === topic).map((m) => m.payload);
        reject(new Error(`timed out after ${timeoutMs} ms waiting on ${topic}; saw ${JSON.stringify(seen)}`));
      }, timeoutMs);
      const wake = (): void => {
        const message = find();
        if (!message) return;
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(message);
      };
      this.waiters.add(wake);
    });
  }

  /** Index to pass as `since`, to wait only for messages after this point. */
  get mark(): number {
    return this.messages.length;
  }

  publish(topic: string, payload: string, retain = false): Promise<unknown> {
    return this.client.publishAsync(topic, payload, { retain, qos: 1 });
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}
