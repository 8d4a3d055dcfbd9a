import mqtt, { type MqttClient } from 'mqtt';

interface TopicState {
  payload: string;
}

/**
 * Everything the daemon publishes, as a subscriber sees it: counts, retained values that repeat
 * the previous one (duplicates), and when state topics of each device last arrived (for the
 * Fleet answer → publish latency). Subscribes with retain-as-published, so a retained publish
 * is told apart from a plain one.
 */
export class MqttWatch {
  private readonly topics = new Map<string, TopicState>();
  /** Arrival times (ms) of state messages per device prefix "<kind>/<id>". */
  readonly arrivals = new Map<string, number[]>();
  messages = 0;
  retainedDuplicates = 0;
  duplicateTopics = new Map<string, number>();

  private readonly client: MqttClient;
  private readonly base: string;

  private constructor(client: MqttClient, base: string) {
    this.client = client;
    this.base = base;
    client.on('message', (topic, payload, packet) => this.onMessage(topic, payload.toString(), packet.retain === true));
  }

  static async connect(url: string, base: string, discoveryPrefix: string): Promise<MqttWatch> {
    const client = await mqtt.connectAsync(url, { protocolVersion: 5, clientId: `footprint-${process.pid}`, reconnectPeriod: 1000 });
    const watch = new MqttWatch(client, base);
    await client.subscribeAsync([`${base}/#`, `${discoveryPrefix}/#`], { qos: 0, rap: true });
    return watch;
  }

  private onMessage(topic: string, payload: string, retain: boolean): void {
    this.messages += 1;
    const before = this.topics.get(topic);
    if (retain && before !== undefined && before.payload === payload) {
      this.retainedDuplicates += 1;
      this.duplicateTopics.set(topic, (this.duplicateTopics.get(topic) ?? 0) + 1);
    }
    this.topics.set(topic, { payload });
    const parts = topic.split('/');
    if (parts[0] === this.base && parts.length >= 4 && (parts[1] === 'energy_site' || parts[1] === 'vehicle')) {
      const device = `${parts[1]}/${parts[2]}`;
      const list = this.arrivals.get(device) ?? [];
      list.push(Date.now());
      this.arrivals.set(device, list);
    }
  }

  /** Starts a new counting window. */
  resetCounts(): void {
    this.messages = 0;
    this.retainedDuplicates = 0;
    this.duplicateTopics = new Map();
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}
