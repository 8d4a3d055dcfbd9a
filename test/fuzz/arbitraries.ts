import fc from 'fast-check';
import { DEMO_SITE_ID, DEMO_VIN } from '../../src/simulator/index.js';

/**
 * Generators of hostile input for the fuzz suite: what another program (or person) on the home
 * network can send to the broker and the web port. Fixed seeds and bounded run counts keep the
 * suite a few seconds long and every failure replayable.
 */

export const SEED = 20_261_616;

/** Names every JavaScript object inherits: as device, entity, request or key names. */
export const BUILT_INS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', '__defineGetter__', 'isPrototypeOf'];

/** One topic level an MQTT client may publish on: no "/", no wildcard, no NUL. */
export const topicLevel = fc.oneof(
  fc.constantFrom(...BUILT_INS, 'x', 'set', 'bridge', 'request', '..', ' ', 'ä', '💥', 'a'.repeat(300)),
  fc.string({ minLength: 1, maxLength: 24, unit: 'grapheme' }).filter((s) => !/[/+#\0]/.test(s)),
);

const KINDS = ['vehicle', 'energy_site', 'wall_connector'] as const;
const CONTROLS = {
  vehicle: [
    'charge_limit',
    'charge_current',
    'lock',
    'sentry_mode',
    'climate',
    'wake',
    'flash_lights',
    'frunk',
    'trunk',
    'seat_heater_front_left',
    'keyless_driving',
    'homelink',
    'media_volume',
  ],
  energy_site: ['backup_reserve', 'operation_mode', 'storm_watch', 'allow_export', 'battery_control'],
  wall_connector: ['state'],
};
const READ_ONLY = ['battery_level', 'status', 'vehicle_state', 'percentage_charged', 'power', 'location', 'charge_limit/attributes'];

/** Payloads no control takes: nothing is ever sent to Tesla for them. */
export const invalidPayload: fc.Arbitrary<Buffer> = fc.oneof(
  fc.constantFrom('', ' ', '\t\n', '[]', '[80]', 'null', '{"__proto__": {"ok": true}}', 'NaN', '-Infinity', '1e309').map((s) => Buffer.from(s)),
  fc.uint8Array({ minLength: 1, maxLength: 16 }).map((bytes) => Buffer.concat([Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(bytes)])),
  fc.constant(Buffer.alloc(100_000, 0x37)),
);

/** Anything at all. */
export const anyPayload: fc.Arbitrary<Buffer> = fc.oneof(
  invalidPayload,
  fc.string({ maxLength: 60 }).map((s) => Buffer.from(s)),
  fc.jsonValue({ maxDepth: 3 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
);

export interface Command {
  topic: string;
  payload: Buffer;
  /** True when the topic is `<base>/<kind>/<id>/<entity>/set`: the daemon owes it one answer. */
  answered: boolean;
  properties: { responseTopic?: string; correlationData?: Buffer; userProperties?: Record<string, string> };
}

/** Response topics: wildcards, the daemon's own topics, Home Assistant's, and fair ones of the requester's. */
export const responseTopic = fc.oneof(
  fc.constantFrom(
    'x/#',
    '#',
    '+',
    'a/+/b',
    '$SYS/broker/x',
    'teslahub/bridge/request/wake',
    'teslahub/bridge/request/refresh',
    `teslahub/vehicle/${DEMO_VIN}/charge_limit/set`,
    `teslahub/vehicle/${DEMO_VIN}/charge_limit`,
    'teslahub/bridge/state',
    'teslahub',
    'homeassistant/status',
    'homeassistant/device/teslahub_x/config',
    'fuzz/reply',
  ),
  fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !s.includes('\0')),
  topicLevel.map((level) => `fuzz/reply/${level}`),
);

function withOwnKeys(entries: [string, string][]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of entries) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

const properties = fc.record(
  {
    responseTopic,
    correlationData: fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes)),
    // At least one: mqtt.js sends an empty set such that Mosquitto never acknowledges the publish.
    userProperties: fc
      .array(fc.tuple(fc.oneof(fc.constantFrom(...BUILT_INS), fc.string({ minLength: 1, maxLength: 10 })), fc.string({ maxLength: 10 })), {
        minLength: 1,
        maxLength: 3,
      })
      .map(withOwnKeys),
  },
  { requiredKeys: [] },
);

/** A `/set` (or near-`/set`) publish that no control can carry out. */
export const hostileCommand: fc.Arbitrary<Command> = fc
  .record({
    kind: fc.oneof(fc.constantFrom(...KINDS), topicLevel),
    id: fc.oneof(fc.constantFrom(DEMO_VIN, DEMO_SITE_ID, DEMO_VIN.toLowerCase()), topicLevel),
    entity: fc.oneof(fc.constantFrom(...CONTROLS.vehicle, ...CONTROLS.energy_site, ...READ_ONLY), topicLevel),
    tail: fc.constantFrom('/set', '/set', '/set', '/set/x', '', '/SET'),
    knownDevicePayload: invalidPayload,
    payload: anyPayload,
    properties,
  })
  .map(({ kind, id, entity, tail, knownDevicePayload, payload, properties: props }) => {
    const topic = `teslahub/${kind}/${id}/${entity}${tail}`;
    const levels = topic.split('/');
    const answered = levels.length === 5 && levels[4] === 'set' && (KINDS as readonly string[]).includes(kind) && id !== '' && entity !== '';
    // A real device's control could take a random payload (and Tesla would be called): those get one no control takes.
    const realDevice = (kind === 'vehicle' && id === DEMO_VIN) || (kind === 'energy_site' && id === DEMO_SITE_ID);
    return { topic, payload: realDevice ? knownDevicePayload : payload, answered, properties: props };
  });

export interface BridgeRequest {
  name: string;
  body: Buffer;
  /** The transaction the answer must echo, when the body is an object holding one. */
  transaction?: string;
  /** The device the body names, when it is an object. */
  device?: unknown;
}

const device = fc.oneof(
  fc.constantFrom(`energy_site.${DEMO_SITE_ID}`, 'vehicle.', '.', 'vehicle', `vehicle.${DEMO_VIN.toLowerCase()}`, 'wall_connector.x', `car.${DEMO_VIN}`),
  fc.tuple(fc.constantFrom('vehicle', 'energy_site', 'wall_connector'), fc.constantFrom(...BUILT_INS)).map(([kind, name]) => `${kind}.${name}`),
  topicLevel.map((level) => `vehicle.${level}`),
  topicLevel.map((level) => `energy_site.${level}`),
  fc.jsonValue({ maxDepth: 2 }),
);

/** The one device in `device` above that exists (and is no car, so it cannot be woken). */
export const REAL_SITE = `energy_site.${DEMO_SITE_ID}`;

/** A bridge request that must be answered once and may not wake the car. */
export const hostileBridgeRequest: fc.Arbitrary<BridgeRequest> = fc
  .record({
    name: fc.oneof(fc.constantFrom('refresh', 'wake', 'reload_automations', 'nope'), topicLevel),
    transaction: fc.string({ minLength: 1, maxLength: 12 }),
    shape: fc.constantFrom('object', 'object', 'json', 'text'),
    device,
    extra: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...BUILT_INS), fc.string({ maxLength: 8 })), fc.jsonValue({ maxDepth: 2 })), { maxLength: 3 }),
    json: fc.jsonValue({ maxDepth: 3 }),
    text: fc.string({ maxLength: 40 }),
  })
  .map(({ name, transaction, shape, device: target, extra, json, text }): BridgeRequest => {
    if (shape === 'json') return { name, body: Buffer.from(JSON.stringify(json) ?? 'null') };
    if (shape === 'text') return { name, body: Buffer.from(text) };
    const pairs = extra.map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value) ?? 'null'}`);
    const body = `{${[...pairs, `"device": ${JSON.stringify(target) ?? 'null'}`, `"transaction": ${JSON.stringify(transaction)}`].join(', ')}}`;
    return { name, body: Buffer.from(body), transaction, device: target };
  });

/** One raw HTTP request: a request line, headers and a body whose length is stated truthfully. */
export const hostileHttpRequest = fc
  .record({
    method: fc.oneof(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH'), fc.stringMatching(/^[A-Z]{1,8}$/)),
    target: fc.oneof(
      fc.constantFrom(
        '//[',
        'http://[::1',
        '//a:b@[',
        'http://127.0.0.1:99999/',
        '//%',
        '/',
        '/api/command',
        '/api/status',
        '/api/entities',
        '/metrics',
        '/healthz',
        '/api/events?x=1',
        '/auth/callback?state=x&code=y',
        '/%',
        '/..%2f..%2fetc/passwd',
        '*',
      ),
      fc.webPath(),
      fc
        .string({ minLength: 1, maxLength: 40 })
        .filter((s) => !/[\s\0]/.test(s))
        .map((s) => (s.startsWith('/') ? s : `/${s}`)),
    ),
    host: fc.oneof(fc.constantFrom('127.0.0.1', 'localhost', 'evil.example', '[::1]', '', 'a'.repeat(300)), fc.domain()),
    cookie: fc.oneof(
      fc.constant(undefined),
      fc.constantFrom('__proto__=x', 'constructor=1; teslahub_csrf=__proto__', 'teslahub_csrf=abcdefghijklmnopqrstuvwx'),
      fc.string({ maxLength: 40 }).filter((s) => !/[\r\n\0]/.test(s)),
    ),
    token: fc.oneof(
      fc.constant(undefined),
      fc.string({ minLength: 1, maxLength: 44 }).filter((s) => /^[\x21-\x7e]+$/.test(s)),
    ),
    contentType: fc.constantFrom(undefined, 'application/json', 'application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data'),
    body: fc.oneof(
      fc.constant(''),
      fc.constantFrom(
        '{"__proto__": {"device": "vehicle.x"}, "device": "vehicle.constructor", "entity": "lock", "value": "UNLOCK"}',
        '_csrf=x&device=vehicle.__proto__&entity=toString&value=1',
        '{',
        '[]',
        'null',
      ),
      fc.json({ maxDepth: 3 }),
      fc.constant('x'.repeat(20_000)),
    ),
  })
  .map(({ method, target, host, cookie, token, contentType, body }) => {
    const headers = [
      `Host: ${host}`,
      ...(cookie !== undefined ? [`Cookie: ${cookie}`] : []),
      ...(token ? [`X-CSRF-Token: ${token}`] : []),
      ...(contentType ? [`Content-Type: ${contentType}`] : []),
    ];
    if (body !== '') headers.push(`Content-Length: ${Buffer.byteLength(body)}`);
    return { method, target, text: `${method} ${target} HTTP/1.1\r\n${headers.join('\r\n')}\r\nConnection: close\r\n\r\n${body}` };
  });
