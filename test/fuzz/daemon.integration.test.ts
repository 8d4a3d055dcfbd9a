import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { DEMO_SITE_ID, DEMO_VIN } from '../../src/simulator/index.js';
import { startEntityWorld, type EntityWorld } from '../support/entity-world.js';
import { waitUntil } from '../support/net.js';
import { type BridgeRequest, type Command, hostileBridgeRequest, hostileCommand, hostileHttpRequest, REAL_SITE, SEED } from './arbitraries.js';

/**
 * The properties of issue 16 against the real daemon: MQTT through a real Mosquitto (MQTT 5, so
 * response topics, correlation data and user properties arrive), HTTP over real sockets, the
 * simulator playing Tesla. Every valid-topic command is answered exactly once, nothing reaches
 * Tesla for an invalid one, the daemon publishes only on topics it chose, every socket gets an
 * answer, and nothing ends in an unhandled rejection or an ERROR line.
 */

interface Published {
  topic: string;
  payload: string;
  correlation?: string;
}

/** Where the daemon may publish: its own state and bridge topics, discovery, and fair response topics. */
function chosenByDaemon(topic: string, fairReplies: ReadonlySet<string>): boolean {
  if (topic.startsWith('teslahub/')) return !topic.endsWith('/set') && !topic.startsWith('teslahub/bridge/request/');
  if (topic.startsWith('homeassistant/')) return /^homeassistant\/device\/[^/]+\/config$/.test(topic);
  return fairReplies.has(topic);
}

/** A response topic the daemon may answer on: the requester's own, nothing it owns or listens to. */
function fairReply(topic: string | undefined): boolean {
  return (
    topic !== undefined &&
    topic !== '' &&
    !/[+#\0]/.test(topic) &&
    !topic.startsWith('$') &&
    topic !== 'teslahub' &&
    !topic.startsWith('teslahub/') &&
    topic !== 'homeassistant' &&
    !topic.startsWith('homeassistant/')
  );
}

function openDescriptors(): number {
  return readdirSync('/proc/self/fd').length;
}

/** Sends one raw request; resolves with the status line once the head arrived, or what happened instead. */
function exchange(port: number, text: string, ms = 5000): Promise<{ status: string | undefined; closedWithoutAnswer: boolean }> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let reply = '';
    const done = (result: { status: string | undefined; closedWithoutAnswer: boolean }): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done({ status: undefined, closedWithoutAnswer: false }), ms);
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done({ status: reply.slice(0, reply.indexOf('\r\n')), closedWithoutAnswer: false });
    });
    socket.on('error', () => undefined);
    socket.on('close', () => done({ status: reply ? reply.split('\r\n')[0] : undefined, closedWithoutAnswer: reply === '' }));
    socket.write(text);
  });
}

describe('fuzzing the daemon with hostile input (real Mosquitto, real sockets, simulator)', () => {
  let w: EntityWorld;
  let other: MqttClient;
  const daemonPublished: string[] = [];
  const replies: Published[] = [];
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown): void => void rejections.push(reason);
  const fairReplies = new Set<string>();

  before(async () => {
    process.on('unhandledRejection', onRejection);
    w = await startEntityWorld({
      // Records every topic the daemon publishes on, below its own MQTT connection.
      mqttConnect: (url: string, options: IClientOptions) => {
        const client = mqtt.connect(url, options);
        const publish = client.publish.bind(client) as (...args: unknown[]) => MqttClient;
        (client as { publish: unknown }).publish = (topic: string, ...rest: unknown[]) => {
          daemonPublished.push(topic);
          return publish(topic, ...rest);
        };
        return client;
      },
    });
    assert.ok(
      await waitUntil(
        () =>
          w.probe.messages.some((m) => m.topic === `teslahub/vehicle/${DEMO_VIN}/charge_limit`) &&
          w.probe.messages.some((m) => m.topic === `teslahub/energy_site/${DEMO_SITE_ID}/backup_reserve`),
        20_000,
      ),
    );
    w.world.sim.world.patchVehicle(DEMO_VIN, { asleep: true });
    other = await mqtt.connectAsync(w.broker.url, { protocolVersion: 5, clientId: `fuzzer-${process.pid}`, reconnectPeriod: 0 });
    other.on('message', (topic, payload, packet) => {
      const correlation = packet.properties?.correlationData?.toString('hex');
      replies.push({ topic, payload: payload.toString(), ...(correlation !== undefined ? { correlation } : {}) });
    });
    await other.subscribeAsync(['#'], { qos: 1 });
  });
  after(async () => {
    process.off('unhandledRejection', onRejection);
    await other.endAsync(true);
    await w.close();
  });

  const commandResults = (since: number): { who: string }[] =>
    w.probe.messages
      .slice(since)
      .filter((m) => m.topic === 'teslahub/bridge/event')
      .map((m) => JSON.parse(m.payload) as { type: string; who: string })
      .filter((e) => e.type === 'command_result');
  const teslaWrites = (): number => w.world.sim.requests().filter((r) => r.method === 'POST' && !r.path.startsWith('/oauth2')).length;

  it('MQTT /set: one answer per valid-topic command, none to Tesla, replies only where fair', async () => {
    const start = w.probe.mark;
    const writes = teslaWrites();
    let owed = 0;
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(hostileCommand, { minLength: 1, maxLength: 8 }), async (commands: Command[]) => {
        const mark = w.probe.mark;
        const expected = commands.filter((c) => c.answered).length;
        const repliesMark = replies.length;
        for (const command of commands) {
          if (command.answered && fairReply(command.properties.responseTopic)) fairReplies.add(command.properties.responseTopic as string);
          await other.publishAsync(command.topic, command.payload, { qos: 1, properties: command.properties });
        }
        sent += commands.length;
        owed += expected;
        assert.ok(await waitUntil(() => commandResults(mark).length >= expected, 10_000), `answered ${commandResults(mark).length} of ${expected}`);
        // Every fair response topic got its reply, with its correlation data.
        for (const command of commands.filter((c) => c.answered && fairReply(c.properties.responseTopic))) {
          const correlation = command.properties.correlationData?.toString('hex');
          const arrived = (): boolean =>
            replies
              .slice(repliesMark)
              .some(
                (r) =>
                  r.topic === command.properties.responseTopic &&
                  r.payload.includes('"command_result"') &&
                  (correlation === undefined || correlation === '' || r.correlation === correlation),
              );
          assert.ok(await waitUntil(arrived, 5_000), `a reply on ${command.properties.responseTopic}`);
        }
      }),
      { seed: SEED, numRuns: 30 },
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(commandResults(start).length, owed, `exactly one answer for each of ${owed} valid-topic commands (of ${sent} sent)`);
    assert.equal(teslaWrites(), writes, 'no command or wake reached Tesla');
    const foreign = [...new Set(daemonPublished.filter((topic) => !chosenByDaemon(topic, fairReplies)))];
    assert.deepEqual(foreign, [], 'the daemon published only on topics it chose');
    assert.ok(w.world.daemon.mqtt.connected);
    assert.doesNotMatch(w.world.sink.text, /lost connection to MQTT broker/);
  });

  it('MQTT bridge requests: one answer each, echoing the transaction, and no car woken', async () => {
    const wakes = (): number => w.world.sim.requests().filter((r) => r.path.endsWith('/wake_up')).length;
    const wakesBefore = wakes();
    await fc.assert(
      // Transactions are unique in a batch, so each answer is found by its own.
      fc.asyncProperty(
        fc.uniqueArray(hostileBridgeRequest, { minLength: 1, maxLength: 6, selector: (r) => r.transaction ?? r }),
        async (requests: BridgeRequest[]) => {
          const mark = w.probe.mark;
          for (const request of requests) await other.publishAsync(`teslahub/bridge/request/${request.name}`, request.body, { qos: 1 });
          const answers = (): { topic: string; body: { transaction?: unknown; ok?: unknown } }[] =>
            w.probe.messages
              .slice(mark)
              .filter((m) => m.topic.startsWith('teslahub/bridge/response/'))
              .map((m) => ({ topic: m.topic, body: JSON.parse(m.payload) as { transaction?: unknown; ok?: unknown } }));
          assert.ok(await waitUntil(() => answers().length >= requests.length, 10_000), `answered ${answers().length} of ${requests.length}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
          assert.equal(answers().length, requests.length, 'one answer per request');
          for (const request of requests) {
            const answer = answers().find(
              (a) =>
                a.topic === `teslahub/bridge/response/${request.name}` && (request.transaction === undefined || a.body.transaction === request.transaction),
            );
            assert.ok(answer, `an answer to ${request.name}`);
            // Only the real site can be refreshed; no other name is a device, whatever it is called.
            if (request.transaction !== undefined && (request.name === 'refresh' || request.name === 'wake') && request.device !== REAL_SITE) {
              assert.equal(answer.body.ok, false, `${request.name} of ${JSON.stringify(request.device)} refused`);
            }
          }
          for (const answer of answers()) assert.equal(typeof answer.body.ok, 'boolean');
        },
      ),
      { seed: SEED, numRuns: 25 },
    );
    assert.equal(wakes(), wakesBefore, 'no wake_up');
  });

  it('HTTP: every request line, header set and body gets an answer; the guards hold; no descriptor leaks', async () => {
    const port = w.world.daemon.http.port;
    const results: string[] = [];
    w.world.daemon.bus.on(results, 'bridge.event', (event) => {
      if (event.type === 'command_result') results.push(String(event.who));
    });
    const descriptorsBefore = openDescriptors();
    await fc.assert(
      fc.asyncProperty(hostileHttpRequest, async (request) => {
        const { status, closedWithoutAnswer } = await exchange(port, request.text);
        assert.ok(status !== undefined || closedWithoutAnswer, `no answer within 5 s to ${JSON.stringify(request.text.slice(0, 120))}`);
        assert.ok(!closedWithoutAnswer, `closed without an answer: ${JSON.stringify(request.text.slice(0, 120))}`);
        assert.match(status ?? '', /^HTTP\/1\.1 [1-5]\d\d /);
        // Mutating requests never get past the CSRF guard without the page's token.
        if (request.method === 'POST' && request.target === '/api/command') assert.doesNotMatch(status ?? '', / 2\d\d /);
      }),
      { seed: SEED, numRuns: 150 },
    );
    w.world.daemon.bus.removeOwner(results);
    assert.deepEqual(results, [], 'no web command reached the router');
    assert.ok(await waitUntil(() => openDescriptors() <= descriptorsBefore + 10, 5_000), `descriptors ${descriptorsBefore} → ${openDescriptors()}`);
    assert.equal((await fetch(`${w.world.baseUrl}/healthz`)).status, 200, 'still healthy');
  });

  it('logged no unhandled rejection and no ERROR line through all of it', () => {
    assert.deepEqual(rejections, []);
    const errors = w.world.sink.text.split('\n').filter((line) => / ERROR |unhandled/i.test(line));
    assert.deepEqual(errors, []);
  });
});
