import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FakeClock } from '../../src/core/fake-clock.js';
import type { ScenarioInput } from '../../src/simulator/index.js';
import { startBroker, type TestBroker } from '../support/broker.js';
import { MqttProbe } from '../support/mqtt-probe.js';
import { connectAccount } from '../support/oauth.js';
import { runFor } from '../support/step-clock.js';
import { startTeslaWorld, type TeslaWorld } from '../support/tesla-world.js';
import { exampleYaml } from './example-config.js';

const MIN = 60_000;
// The ids the examples in config.example.yaml use (made up).
const VIN = '5YJ3E1EA0PF000001';
const SITE = '1234567890';
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
// Simulated time runs close to real time (OAuth checks token times against the real clock), an
// hour behind it; the site sits at the longitude where that is four hours before solar noon.
const START = Math.floor(Date.now() / MIN) * MIN - HOUR;
const NOON = START + 4 * HOUR;
const LONGITUDE = (((12 - (NOON % DAY) / HOUR) * 15 + 540) % 360) - 180;
/** `minutes` after the start. */
const at = (minutes: number): number => START + minutes * MIN;
const clockOf = (t: number): string => `+${Math.round((t - START) / MIN)}m`;

/** A clear day on the equator (12 hours of sun): 6 kW of panels, no Powerwall, a car plugged into a 230 V Wall Connector. */
const scenario: ScenarioInput = {
  name: 'solar surplus',
  timeZone: 'UTC',
  seed: 11,
  accounts: [{ email: 'solar@teslahub.invalid', region: 'na' }],
  vehicles: [
    { vin: VIN, name: 'Solar Model 3', commandSigning: 'allowed', state: 'online', batteryLevel: 40, chargeLimit: 90, chargeAmps: 16, pluggedIn: 'home' },
  ],
  energySites: [
    {
      id: SITE,
      name: 'Solar home',
      location: { lat: 0, lon: LONGITUDE },
      batteries: 0,
      solarKw: 6,
      load: { baseW: 400, morningW: 0, eveningW: 0, noise: 0.1 },
      wallConnectors: [{ maxAmps: 32, voltage: 230, phases: 1 }],
    },
  ],
};

/** Clouds: [from, to, share of the sun that gets through]. */
const CLOUDS: [number, number, number][] = [
  [at(100), at(105), 0.05], // a short dark cloud: stop, then wait out the minimum off time
  [at(115), at(119), 0.05], // soon after the restart: amps drop, but no stop within the minimum on time
  [at(130), at(150), 0.6], // haze: fewer amps, then back
];
const END = at(165);

interface CommandSeen {
  at: number;
  entity: string;
  value: unknown;
  ok: boolean;
  who: string;
  error?: string;
}

describe('solar-surplus example against the simulator and a real Mosquitto (fake clock)', () => {
  let broker: TestBroker | undefined;
  let world: TeslaWorld | undefined;
  let probe: MqttProbe | undefined;
  after(async () => {
    await probe?.close();
    await world?.close();
    await broker?.close();
  });

  it('follows the solar curve: amps track the surplus, starts and stops respect the minimum on/off times', async () => {
    const clock = new FakeClock(START);
    broker = await startBroker();
    world = await startTeslaWorld({ clock, sim: { scenario }, polling: true, mqttLines: [`  url: ${broker.url}`], configLines: ['automations: []'] });
    const w = world;
    probe = await MqttProbe.connect(broker.url, ['teslahub/bridge/#']);
    const busy = (): boolean => w.inFlight() > 0 || w.sim.inFlight() > 0;
    await connectAccount(w.baseUrl);
    await runFor(clock, 2 * MIN, busy);

    // The car started charging when it was plugged in: stop it, as its owner would, before the rule exists.
    const stop = w.daemon.router.run({ kind: 'vehicle', topicId: VIN, entity: 'charge', payload: new TextEncoder().encode('OFF'), who: 'test' });
    await runFor(clock, MIN, busy, 1000);
    const stopped = await stop;
    assert.equal(stopped.ok, true, `${stopped.error ?? ''}\n${w.sink.text.split('\n').slice(-30).join('\n')}`);
    const car = w.sim.world.requireVehicle(VIN);
    assert.equal(car.state.chargingState, 'Stopped');

    // The example from config.example.yaml goes in, by reload_automations, without a restart.
    const configFile = join(w.dir, 'config.yaml');
    const original = await readFile(configFile, 'utf8');
    await writeFile(configFile, original.replace('automations: []', `automations: ${exampleYaml(['solar_surplus'])}`));
    const reloaded = await request(probe, 'reload_automations', '1');
    assert.deepEqual(reloaded, { transaction: '1', ok: true, automations: 1, enabled: 1 });

    const site = w.sim.world.requireSite(SITE);
    const samples: { at: number; amps: number; on: boolean; charging: boolean; carW: number; exportW: number }[] = [];
    await runFor(clock, END - clock.now(), busy, MIN, () => {
      const now = clock.now();
      const factor = CLOUDS.find(([from, to]) => now >= from && now < to)?.[2] ?? 1;
      if (site.state.solarFactor !== factor) w.sim.world.patchSite(SITE, { solarFactor: factor });
      w.sim.world.advanceTo();
      const flows = w.sim.world.siteFlows(site);
      samples.push({
        at: now,
        amps: car.state.chargeAmps,
        on: car.state.userChargeEnable === true,
        charging: car.state.chargingState === 'Charging',
        carW: car.wallConnectorPowerW(site.wallConnectors[0]?.din ?? ''),
        exportW: -flows.grid,
      });
    });

    const events = probe.messages.filter((m) => m.topic === 'teslahub/bridge/event').map((m) => JSON.parse(m.payload) as Record<string, unknown>);
    const commands: CommandSeen[] = events
      .filter((e) => e.type === 'command_result')
      .map((e) => ({
        at: Date.parse(String(e.at)),
        entity: String(e.entity),
        value: e.value,
        ok: e.ok === true,
        who: String(e.who),
        ...(e.error ? { error: String(e.error) } : {}),
      }));
    const mine = commands.filter((c) => c.who === 'automation:solar_surplus');
    const log = mine.map((c) => `${clockOf(c.at)} ${c.entity}=${String(c.value)}${c.ok ? '' : ` (${c.error ?? ''})`}`).join('\n');
    assert.ok(
      mine.every((c) => c.ok),
      `every command succeeded:\n${log}`,
    );
    const runs = events.filter((e) => e.type === 'automation_run' && e.automation === 'solar_surplus');
    assert.ok(runs.length > 100, `about one run per grid reading, saw ${runs.length}`);
    assert.deepEqual(
      runs.filter((r) => r.outcome === 'failed'),
      [],
    );
    const notes = [...new Set(runs.flatMap((r) => (Array.isArray(r.notes) ? (r.notes as string[]) : [])))];
    assert.deepEqual(notes, [], 'every condition could be decided');

    // Starts and stops: the test's own stop, then start, stop (the dark cloud), start.
    const switches = commands.filter((c) => c.entity === 'charge');
    assert.deepEqual(
      switches.map((c) => `${c.who === 'test' ? 'test' : 'rule'} ${String(c.value)}`),
      ['test OFF', 'rule ON', 'rule OFF', 'rule ON'],
      log,
    );
    for (let i = 1; i < switches.length; i++) {
      const gap = (switches[i]!.at - switches[i - 1]!.at) / MIN;
      assert.ok(gap >= 10, `switch ${i} came ${gap} min after the previous one:\n${log}`);
    }
    const [, firstOn, off, secondOn] = switches;
    assert.ok(firstOn!.at <= switches[0]!.at + 12 * MIN, 'started as soon as the minimum off time allowed, in full sun');
    assert.ok(off!.at >= at(100) && off!.at <= at(102), `stopped when the dark cloud came: ${log}`);
    assert.ok(secondOn!.at >= off!.at + 10 * MIN && secondOn!.at <= off!.at + 12 * MIN, 'started again once off for 10 minutes');

    // The car received what the rule sent: every amps change, between 6 and 16 A.
    const ampsSent = mine.filter((c) => c.entity === 'charge_current').map((c) => Number(c.value));
    assert.ok(ampsSent.length >= 5 && ampsSent.length <= 25, `a handful of amp changes, not one a minute: ${ampsSent.join(', ')}`);
    assert.ok(
      ampsSent.every((a) => a >= 6 && a <= 16),
      ampsSent.join(', '),
    );
    const carAmps = samples.map((s) => s.amps).filter((a, i, all) => i === 0 || a !== all[i - 1]);
    assert.deepEqual(
      carAmps.slice(1),
      ampsSent.filter((a, i) => i === 0 || a !== ampsSent[i - 1]).slice(carAmps[0] === ampsSent[0] ? 1 : 0),
      'the car took every change',
    );
    assert.ok(ampsSent.includes(6), 'down to 6 A in the second cloud (on for too short a time to stop)');
    assert.ok(Math.max(...ampsSent) === 16 && ampsSent.some((a) => a > 6 && a < 16), 'between the bounds as the sun rose and the haze came');

    // Following the curve: in steady minutes the amps are what the surplus allows (car draw + export).
    const wanted = (s: (typeof samples)[number]): number => Math.min(16, Math.max(6, Math.floor((s.carW + s.exportW) / 230)));
    for (const checkpoint of [at(55), at(95), at(117), at(145), at(164)]) {
      const sample = samples.find((s) => s.at >= checkpoint);
      assert.ok(sample?.charging, `charging at ${clockOf(checkpoint)}`);
      assert.ok(Math.abs(sample.amps - wanted(sample)) <= 1, `at ${clockOf(sample.at)}: ${sample.amps} A set, surplus allows ${wanted(sample)} A\n${log}`);
    }
    assert.equal(samples.find((s) => s.at >= at(117))?.amps, 6);
    assert.ok(
      samples.filter((s) => s.at >= at(105) && s.at < off!.at + 10 * MIN).every((s) => !s.on),
      'stayed off through the minimum off time though the sun was back',
    );

    // An invalid config is refused by reload_automations; the rule in force keeps running.
    await writeFile(
      configFile,
      original.replace(
        'automations: []',
        'automations: [{id: broken, triggers: [{trigger: cron, cron: "61 * * * *"}], actions: [{action: refresh, device: vehicle.x}]}]',
      ),
    );
    const refused = await request(probe, 'reload_automations', '2');
    assert.equal(refused.ok, false);
    assert.match(String(refused.error), /the config has 1 problem; kept the 1 automation in use/);
    const line = original.split('\n').indexOf('automations: []') + 1;
    assert.deepEqual(refused.issues, [`automations[0].triggers[0].cron: invalid expression "61 * * * *" (fix: minute is 0-59) [${configFile} line ${line}]`]);
    const before = probe.mark;
    await runFor(clock, 3 * MIN, busy);
    assert.ok(
      probe.messages.slice(before).some((m) => m.topic === 'teslahub/bridge/event' && m.payload.includes('"automation":"solar_surplus"')),
      'still running',
    );
  });
});

/** Sends a bridge request over MQTT and waits (in real time) for its response. */
async function request(probe: MqttProbe, name: string, transaction: string): Promise<Record<string, unknown>> {
  const since = probe.mark;
  await probe.publish(`teslahub/bridge/request/${name}`, JSON.stringify({ transaction }));
  const response = await probe.waitFor(`teslahub/bridge/response/${name}`, (m) => m.payload.includes(`"transaction":"${transaction}"`), 10_000, since);
  return JSON.parse(response.payload) as Record<string, unknown>;
}
