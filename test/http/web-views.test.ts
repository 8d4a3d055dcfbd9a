import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyCounts } from '../../src/fleet/pricing.js';
import { parseWebCommand } from '../../src/http/routes/command.js';
import { type DeviceEntry, displayValue, entityViews } from '../../src/http/web/device-view.js';
import { summarizeEvent } from '../../src/http/web/event-log.js';
import { moneyView, spendChartSvg } from '../../src/http/web/money.js';
import { buildChecklist, nextStep, type OnboardingFacts } from '../../src/http/web/onboarding.js';
import { renderDevice } from '../../src/http/web/render-devices.js';
import { renderEvent } from '../../src/http/web/render-sections.js';
import { renderSetup } from '../../src/http/web/render-setup.js';
import type { BudgetStatus } from '../../src/poller/budget.js';
import type { EntityDescriptor } from '../../src/model/descriptors.js';
import { vehicleIdentity } from '../../src/model/identity.js';
import { DeviceNaming } from '../../src/model/naming.js';
import type { VehicleSource } from '../../src/model/sources.js';
import { descriptorFor, ENTITY_TABLES } from '../../src/model/tables.js';
import { Topics } from '../../src/mqtt/topics.js';

const TOPICS = new Topics('teslahub', 'homeassistant');
const VIN = '5YJ3E1EA0PF000001';

function car(name: string): DeviceEntry {
  const naming = new DeviceNaming({ vehicles: [{ vin: VIN, name, allow: [], deny: [], wake_for_commands: true }], energy_sites: [] });
  const source: VehicleSource = {
    kind: 'vehicle',
    vin: VIN,
    summary: {},
    connection: 'online',
    data: {
      charge_state: { charge_limit_soc: 80, charge_limit_soc_min: 50, charge_limit_soc_max: 100, battery_level: 64.4, charging_state: 'Stopped' },
      vehicle_state: { locked: true },
    },
    dataAt: Date.UTC(2025, 6, 1, 12),
  };
  return {
    ref: { kind: 'vehicle', id: VIN },
    identity: vehicleIdentity(source, naming),
    rows: ENTITY_TABLES.vehicle as unknown as EntityDescriptor<unknown>[],
    source,
  };
}

describe('device view', () => {
  it('reads values from the entity table with units, unknowns and JSON spelled out', () => {
    const row = (key: string): EntityDescriptor<unknown> => descriptorFor('vehicle', key) as unknown as EntityDescriptor<unknown>;
    assert.equal(displayValue(row('charge_limit'), '80'), '80 %');
    assert.equal(displayValue(row('charge_limit'), 'None'), 'unknown');
    assert.equal(
      displayValue(row('climate'), '{"mode":"heat_cool","current_temperature":19.5,"target_temperature":21,"preset":null}'),
      'heat_cool, set to 21 °C, inside 19.5 °C',
    );
    assert.equal(displayValue(row('location'), '{"latitude":37.4,"longitude":-122.1}'), '37.40000, -122.10000');
    const views = entityViews(car('Model'), TOPICS);
    const limit = views.find((v) => v.key === 'charge_limit');
    assert.deepEqual(limit?.control, { type: 'number', min: 50, max: 100, step: 1, value: 80, unit: '%' });
    assert.equal(views.find((v) => v.key === 'lock')?.text, 'LOCKED');
    assert.equal(views.find((v) => v.key === 'honk_horn')?.payload, null, 'buttons have no state');
  });

  it('renders a card whose controls are labelled forms posting to /api/command, with names escaped', () => {
    const html = renderDevice(
      {
        entry: car('<script>alert(1)</script>'),
        address: `vehicle.${VIN}`,
        connection: 'online',
        poll: {
          lastPollAt: Date.UTC(2025, 6, 1, 12),
          next: { at: Date.UTC(2025, 6, 1, 12, 30), action: 'check whether it is awake (free)', reason: 'letting the car sleep <zz>' },
          note: undefined,
        },
      },
      TOPICS,
      'tok"en',
    ).text;
    assert.doesNotMatch(html, /<script>/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(html, /letting the car sleep &lt;zz&gt;/);
    assert.match(html, /<time datetime="2025-07-01T12:30:00.000Z">/);
    assert.match(
      html,
      new RegExp(
        `<label for="c-vehicle_${VIN}-charge_limit">Charge limit \\(%\\)</label> <input id="c-vehicle_${VIN}-charge_limit" type="number"[^>]* min="50" max="100" step="1" value="80"`,
      ),
    );
    assert.match(html, /<input type="hidden" name="_csrf" value="tok&quot;en">/);
    assert.match(
      html,
      /<fieldset><legend id="[^"]+">Lock<\/legend><button type="submit" name="value" value="LOCK" aria-describedby="[^"]+" aria-pressed="true">Lock<\/button>/,
    );
    // Every input and select has a label pointing at it.
    for (const match of html.matchAll(/<(input|select) id="([^"]+)"/g)) assert.match(html, new RegExp(`<label for="${match[2]}">`), `label for ${match[2]}`);
  });
});

describe('money view and chart', () => {
  const budget: BudgetStatus = { mode: 'normal', month: '2025-02', spentUsd: 0.5, projectedUsd: 1.2, budgetUsd: 10 };
  const usage = {
    month: '2025-02',
    counts: { data: 200, command: 50, wake: 5, signal: 0 },
    usd: 0.55,
    days: [
      { day: '2025-02-03', counts: { data: 150, command: 0, wake: 5, signal: 0 }, usd: 0.4 },
      { day: '2025-02-10', counts: { data: 50, command: 50, wake: 0, signal: 0 }, usd: 0.15 },
    ],
  };

  it('fills every day of the month and splits the cost by category', () => {
    const view = moneyView(usage, budget);
    assert.equal(view.days.length, 28);
    assert.equal(view.days[0]?.day, '2025-02-01');
    assert.deepEqual(view.days[0]?.counts, emptyCounts());
    assert.equal(view.days[2]?.usd, 0.4);
    assert.deepEqual(view.usdByCategory, { data: 0.4, command: 0.05, wake: 0.1, signal: 0 });
  });

  it('draws stacked bars scaled to the highest day, and the daily budget line', () => {
    const svg = spendChartSvg(moneyView(usage, budget)).text;
    const bars = [...svg.matchAll(/<rect class="bar" data-day="([^"]+)" data-category="([^"]+)" x="[^"]+" y="([^"]+)" width="[^"]+" height="([^"]+)"/g)].map(
      (m) => ({ day: m[1], category: m[2], y: Number(m[3]), h: Number(m[4]) }),
    );
    assert.deepEqual(
      bars.map((b) => `${b.day}/${b.category}`),
      ['2025-02-03/data', '2025-02-03/wake', '2025-02-10/data', '2025-02-10/command'],
    );
    const height = (day: string, category: string): number => bars.find((b) => b.day === day && b.category === category)?.h ?? 0;
    // data 0.30 and wake 0.10 on the 3rd: three to one.
    assert.ok(Math.abs(height('2025-02-03', 'data') / height('2025-02-03', 'wake') - 3) < 0.05);
    // The 3rd (0.40) is the tallest day: its stack is 1/1.15 of the plot height (180 px).
    assert.ok(Math.abs(height('2025-02-03', 'data') + height('2025-02-03', 'wake') - 180 / 1.15) < 0.5);
    assert.match(svg, /class="budget-line"/);
    assert.match(svg, /daily budget \$0\.36/);
    assert.match(svg, /role="img" aria-labelledby="spend-chart-title spend-chart-desc"/);
    assert.match(svg, /<desc id="spend-chart-desc">API spend per day in 2025-02: \$0\.55 over 2 days/);
  });

  it('keeps the bars readable when the daily budget is far above them', () => {
    const svg = spendChartSvg(moneyView(usage, { ...budget, budgetUsd: 1000 })).text;
    assert.doesNotMatch(svg, /class="budget-line"/);
    assert.match(svg, /daily budget \$35\.71, far above every day/);
    const heights = [...svg.matchAll(/data-day="2025-02-03" data-category="[^"]+" x="[^"]+" y="[^"]+" width="[^"]+" height="([^"]+)"/g)].map((m) =>
      Number(m[1]),
    );
    assert.ok(Math.abs(heights.reduce((a, b) => a + b, 0) - 180 / 1.15) < 0.5, 'the tallest day still fills the plot');
  });
});

describe('onboarding checklist', () => {
  const base: OnboardingFacts = {
    appConfigured: false,
    domain: undefined,
    checks: {
      key: { ok: false, problem: 'no private key at keys/private-key.pem', fix: 'run "teslahub keys generate"' },
      hosting: { state: 'no_domain' },
      registration: [],
    },
    account: { kind: 'logged_out' },
    wantedScopes: ['openid', 'offline_access', 'vehicle_cmds'],
    pairingAvailable: false,
    vehicles: [],
  };
  const key = { ok: true as const, publicPem: 'pem', hex: `04${'ab'.repeat(64)}` };

  it('walks the steps in order, naming the next one', () => {
    let steps = buildChecklist(base);
    assert.deepEqual(
      steps.map((s) => s.id),
      ['app', 'key', 'hosting', 'registration', 'account', 'scopes', 'pairing'],
    );
    assert.equal(nextStep(steps)?.id, 'app');
    steps = buildChecklist({ ...base, appConfigured: true });
    assert.equal(nextStep(steps)?.id, 'key');
    assert.match(nextStep(steps)?.next ?? '', /teslahub keys generate/);
    steps = buildChecklist({
      ...base,
      appConfigured: true,
      domain: 'tesla.example.com',
      checks: {
        key,
        hosting: { state: 'unreachable', url: 'https://tesla.example.com/.well-known/appspecific/com.tesla.3p.public-key.pem', detail: 'ENOTFOUND' },
        registration: [],
      },
    });
    assert.equal(nextStep(steps)?.id, 'hosting');
    steps = buildChecklist({
      ...base,
      appConfigured: true,
      domain: 'tesla.example.com',
      checks: {
        key,
        hosting: { state: 'ok', url: 'u' },
        registration: [
          { baseUrl: 'na', label: 'North America', state: 'not_registered' },
          { baseUrl: 'eu', label: 'Europe', state: 'unknown', detail: 'timeout' },
        ],
      },
    });
    assert.equal(nextStep(steps)?.id, 'registration');
    assert.match(nextStep(steps)?.next ?? '', /teslahub register/);
    const ready = {
      ...base,
      appConfigured: true,
      domain: 'tesla.example.com',
      checks: { key, hosting: { state: 'ok' as const, url: 'u' }, registration: [{ baseUrl: 'na', label: 'North America', state: 'registered' as const }] },
    };
    steps = buildChecklist(ready);
    assert.equal(nextStep(steps)?.id, 'account');
    assert.deepEqual(nextStep(steps)?.action, { href: '/auth/login', label: 'Connect Tesla account' });
    steps = buildChecklist({ ...ready, account: { kind: 'ok', scopes: ['openid', 'offline_access'] } });
    assert.equal(nextStep(steps)?.id, 'scopes');
    assert.match(nextStep(steps)?.summary ?? '', /Missing: vehicle_cmds/);
    assert.match(nextStep(steps)?.next ?? '', /Third-Party Apps/);
    const vehicle = { name: 'Red car', vin: VIN, firmware: '2025.2.6', commandSigning: 'required', pairing: undefined };
    steps = buildChecklist({ ...ready, account: { kind: 'ok', scopes: ['openid', 'offline_access', 'vehicle_cmds'] }, vehicles: [vehicle] });
    const pairing = steps.find((s) => s.id === 'pairing');
    assert.equal(pairing?.status, 'unknown', 'no pairing provider: not known, never claimed');
    assert.equal(pairing?.link, 'https://tesla.com/_ak/tesla.example.com');
    assert.match(pairing?.items?.[0]?.detail ?? '', /pairing state not available yet; firmware 2025\.2\.6, command signing required/);
    steps = buildChecklist({
      ...ready,
      account: { kind: 'ok', scopes: ['openid', 'offline_access', 'vehicle_cmds'] },
      pairingAvailable: true,
      vehicles: [{ ...vehicle, pairing: { paired: false, mode: 'signed' } }],
    });
    assert.equal(nextStep(steps)?.id, 'pairing');
    steps = buildChecklist({
      ...ready,
      account: { kind: 'ok', scopes: ['openid', 'offline_access', 'vehicle_cmds'] },
      pairingAvailable: true,
      vehicles: [{ ...vehicle, pairing: { paired: true, mode: 'signed' } }],
    });
    assert.equal(nextStep(steps), undefined);
    assert.ok(steps.every((s) => s.status === 'done'));
    assert.match(renderSetup(steps, 't').text, /Everything is set up/);
  });

  it('renders the pairing link with its QR code and the next step spelled out', () => {
    const steps = buildChecklist({
      ...base,
      appConfigured: true,
      domain: 'tesla.example.com',
      account: { kind: 'ok', scopes: ['openid', 'offline_access', 'vehicle_cmds'] },
      checks: { key, hosting: { state: 'checking', url: 'u' }, registration: [] },
    });
    const html = renderSetup(steps, 'token').text;
    assert.match(html, /<a href="https:\/\/tesla\.com\/_ak\/tesla\.example\.com">/);
    assert.match(html, /<svg class="qr"[^>]*aria-label="QR code of the pairing link https:\/\/tesla\.com\/_ak\/tesla\.example\.com"/);
    assert.match(html, /✓<\/span> done/);
    assert.match(html, /<input type="hidden" name="_csrf" value="token">/);
  });
});

describe('events and web commands', () => {
  it('says what happened, to which device and who asked', () => {
    assert.deepEqual(summarizeEvent({ type: 'command_result', device: 'vehicle.X', entity: 'charge_limit', value: 80, ok: true, who: 'web page' }), {
      kind: 'command',
      ok: true,
      title: 'vehicle.X charge_limit = 80',
      detail: 'done; asked by web page',
    });
    assert.deepEqual(
      summarizeEvent({ type: 'command_result', device: 'vehicle.X', entity: 'lock', value: 'LOCK', ok: false, error: 'car asleep', who: 'mqtt' }).detail,
      'failed: car asleep; asked by mqtt',
    );
    assert.deepEqual(summarizeEvent({ type: 'vehicle_wake', device: 'vehicle.X', who: 'automation storm' }), {
      kind: 'wake',
      ok: true,
      title: 'woke vehicle.X',
      detail: 'asked by automation storm',
    });
    assert.equal(summarizeEvent({ type: 'automation_run', automation: 'storm_reserve', ok: false, error: 'timeout' }).kind, 'automation');
    assert.deepEqual(summarizeEvent({ type: 'device_problem', device: 'energy_site.1', message: 'stale' }), {
      kind: 'error',
      ok: false,
      title: 'device problem energy_site.1',
      detail: 'stale',
    });
    const html = renderEvent({
      seq: 3,
      at: Date.UTC(2025, 0, 1),
      event: { type: 'command_result', device: 'vehicle.<b>', entity: 'x', value: '<i>', ok: true, who: 'web page' },
    }).text;
    assert.doesNotMatch(html, /<b>|<i>/);
  });

  it('turns a control submission into the router request an MQTT /set would make', () => {
    const parsed = parseWebCommand({ kind: 'form', fields: { device: `vehicle.${VIN}`, entity: 'charge_limit', value: '80', _csrf: 'x' } });
    assert.ok(parsed.ok);
    assert.deepEqual(
      { ...parsed.request, payload: Buffer.from(parsed.request.payload).toString() },
      { kind: 'vehicle', topicId: VIN, entity: 'charge_limit', payload: '80', who: 'web page' },
    );
    const climate = parseWebCommand({ kind: 'form', fields: { device: `vehicle.${VIN}`, entity: 'climate', temperature: '21.5' } });
    assert.ok(climate.ok);
    assert.equal(Buffer.from(climate.request.payload).toString(), '{"temperature":21.5}');
    const mode = parseWebCommand({ kind: 'json', fields: { device: 'energy_site.123.4', entity: 'climate', mode: 'off' } });
    assert.ok(mode.ok);
    assert.equal(mode.request.topicId, '123.4');
    assert.equal(Buffer.from(mode.request.payload).toString(), '{"mode":"off"}');
    assert.deepEqual(parseWebCommand({ kind: 'json', fields: { device: 'car.X', entity: 'lock', value: 'LOCK' } }), {
      ok: false,
      message: '"car.X" is not "<kind>.<id>" with kind vehicle, energy_site or wall_connector',
    });
    assert.equal(parseWebCommand({ kind: 'json', fields: { device: 'vehicle.X', entity: 'lock' } }).ok, false);
    assert.equal(parseWebCommand({ kind: 'json', fields: { entity: 'lock', value: 'LOCK' } }).ok, false);
  });
});

describe('html tagged template', () => {
  it('escapes every interpolated value unless it is Html, and renders lists and nothing', async () => {
    const { html, trusted } = await import('../../src/http/html.js');
    const name = '<img src=x onerror=alert(1)> & "quotes"';
    const out = html`<p title="${name}">${name}${[html`<b>${'<i>'}</b>`, 2]}${false}${undefined}${trusted('<hr>')}</p>`.text;
    assert.equal(
      out,
      '<p title="&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;">&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;<b>&lt;i&gt;</b>2<hr></p>',
    );
  });
});
