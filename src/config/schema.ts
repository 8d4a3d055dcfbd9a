import { z } from 'zod';
import { LOG_LEVELS } from '../core/logger.js';
import { checkDeviceLists } from './device-lists.js';
import { duration, filePath, port, text, topicPrefix, topicSegment, url, vin } from './schema-helpers.js';
import { telemetrySchema } from '../telemetry/config-schema.js';
import { automationsSchema } from '../automations/schema.js';

/** Scopes Tesla grants third-party apps; the default asks for what every feature needs. */
export const TESLA_SCOPES = [
  'openid',
  'offline_access',
  'user_data',
  'vehicle_device_data',
  'vehicle_location',
  'vehicle_cmds',
  'vehicle_charging_cmds',
  'energy_device_data',
  'energy_cmds',
] as const;

const DEFAULT_SCOPES = TESLA_SCOPES.filter((scope) => scope !== 'user_data');

const commandLists = {
  allow: z.array(text()).default([]),
  deny: z.array(text()).default([]),
};

const tesla = z.strictObject({
  client_id: text().optional(),
  client_secret: text().optional(),
  domain: text()
    .refine((value) => /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/.test(value), {
      message: 'is not a lower-case host name (fix: write only the host, e.g. tesla.example.com, without https:// or a path)',
    })
    .optional(),
  region: z.enum(['auto', 'na', 'eu', 'cn']).default('auto'),
  redirect_uri: url(['http', 'https'], 'http://localhost:8080/auth/callback').optional(),
  scopes: z
    .array(z.enum(TESLA_SCOPES))
    .default([...DEFAULT_SCOPES])
    .refine((scopes) => scopes.includes('openid') && scopes.includes('offline_access'), {
      message: 'must include openid and offline_access, or Tesla issues no refresh token (fix: add both to tesla.scopes)',
    }),
  private_key: filePath().default('keys/private-key.pem'),
  api_base_url: url(['http', 'https'], 'https://fleet-api.prd.na.vn.cloud.tesla.com').optional(),
  auth_base_url: url(['http', 'https'], 'https://fleet-auth.prd.vn.cloud.tesla.com').optional(),
});

const mqtt = z
  .strictObject({
    url: url(['mqtt', 'mqtts', 'tcp', 'tls', 'ws', 'wss'], 'mqtt://192.168.1.10:1883').optional(),
    username: text().optional(),
    password: text().optional(),
    client_id: text().default('teslahub'),
    protocol_version: z.union([z.literal(4), z.literal(5)]).default(5),
    ca: filePath().optional(),
    cert: filePath().optional(),
    key: filePath().optional(),
    reject_unauthorized: z.boolean().default(true),
    base_topic: topicPrefix().default('teslahub'),
    discovery: z
      .strictObject({
        enabled: z.boolean().default(true),
        prefix: topicPrefix().default('homeassistant'),
      })
      .prefault({}),
    embedded: z
      .strictObject({
        host: text().default('127.0.0.1'),
        port: port(true).default(1883),
      })
      .prefault({}),
  })
  .refine(
    (value: unknown) => {
      // Runs even when the section is otherwise invalid, so it cannot trust the shape.
      if (typeof value !== 'object' || value === null) return true;
      const {
        url: brokerUrl,
        username,
        password,
        embedded,
      } = value as { url?: unknown; username?: unknown; password?: unknown; embedded?: { host?: unknown } };
      const host = typeof embedded?.host === 'string' ? embedded.host : '127.0.0.1';
      return brokerUrl !== undefined || isLoopback(host) || (username !== undefined && password !== undefined);
    },
    {
      message:
        'the embedded broker would listen beyond this machine without a password, so anyone on the network could command the cars (fix: set mqtt.username and mqtt.password, which it then requires of every client, or keep mqtt.embedded.host at 127.0.0.1)',
      path: ['embedded', 'host'],
      when: () => true,
    },
  );

/** Addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

const http = z
  .strictObject({
    host: text().default('127.0.0.1'),
    port: port(true).default(8080),
    username: text().optional(),
    password: text().optional(),
    /** Host names (besides addresses and localhost) the web page answers to when it has no password. */
    allowed_hosts: z.array(text()).default([]),
  })
  .refine(
    (value: unknown) => {
      // Runs even when the section is otherwise invalid, so it cannot trust the shape.
      if (typeof value !== 'object' || value === null) return true;
      const { username, password } = value as { username?: unknown; password?: unknown };
      return (username === undefined) === (password === undefined);
    },
    {
      message: 'username and password go together (fix: set both http.username and http.password, or neither)',
      // Checked even when a sibling key is wrong, so every problem is reported in one pass.
      when: () => true,
    },
  );

const polling = z.strictObject({
  /** false: never call Tesla on its own; devices are read only when a refresh is requested. */
  enabled: z.boolean().default(true),
  vehicle: z
    .strictObject({
      asleep_check: duration({ min: 60 }).default(300),
      online_idle: duration({ min: 60 }).default(1800),
      charging: duration({ min: 60 }).default(1800),
      charging_min: duration({ min: 60 }).default(600),
      driving: duration({ min: 60 }).default(900),
      suspend_window: duration({ min: 60 }).default(1800),
      pre2021_quiet_window: duration({ min: 60 }).default(900),
      /**
       * Tesla does not say whether the state call (GET /api/1/vehicles/{vin}) is billed; like
       * Home Assistant we assume it is free. Set true if your invoice says otherwise: the meter
       * then counts it and the policy calls it less often.
       */
      state_call_billed: z.boolean().default(false),
      /**
       * While a car charges on a Wall Connector of its energy site, battery_level moves every
       * minute with an estimate from the Wall Connector's power between two readings.
       */
      estimate_battery: z.boolean().default(true),
      /** Waking a car for a command: how often to check whether it is up, and for how long. */
      wake_attempts: z.number().int().min(1).max(30).default(6),
      wake_interval: duration({ min: 1, max: 120 }).default(10),
    })
    .prefault({}),
  energy: z
    .strictObject({
      live: duration({ min: 10 }).default(60),
      info: duration({ min: 60 }).default(600),
      history: duration({ min: 60 }).default(300),
    })
    .prefault({}),
});

const budget = z.strictObject({
  monthly_usd: z.number().min(0, { message: 'cannot be negative (fix: use 0 or more US dollars)' }).default(10),
  on_limit: z.enum(['slow', 'stop']).default('slow'),
});

const vehicle = z.strictObject({
  vin: vin(),
  name: text().optional(),
  topic: topicSegment().optional(),
  ...commandLists,
  wake_for_commands: z.boolean().default(true),
});

const energySite = z.strictObject({
  id: text().refine((value) => /^\d+$/.test(value), {
    message: 'is not an energy site id (fix: use the numeric energy_site_id, e.g. 1234567890)',
  }),
  name: text().optional(),
  topic: topicSegment().optional(),
  ...commandLists,
});

export const configSchema = z
  .strictObject({
    version: z.literal(1, { message: 'only version 1 exists (fix: write version: 1)' }).default(1),
    data_dir: filePath().default('./data'),
    log_level: z.enum(LOG_LEVELS).default('info'),
    log_format: z.enum(['pretty', 'json']).default('pretty'),
    tesla: tesla.prefault({}),
    mqtt: mqtt.prefault({}),
    http: http.prefault({}),
    polling: polling.prefault({}),
    budget: budget.prefault({}),
    vehicles: z.array(vehicle).default([]),
    energy_sites: z.array(energySite).default([]),
    telemetry: telemetrySchema.prefault({}),
    automations: automationsSchema,
  })
  .superRefine(checkDeviceLists, { when: () => true });

/** The validated configuration, with defaults applied and paths still as written. */
export type Config = z.output<typeof configSchema>;
export type TeslaConfig = Config['tesla'];
export type MqttConfig = Config['mqtt'];
export type HttpConfig = Config['http'];
export type VehicleConfig = Config['vehicles'][number];
export type EnergySiteConfig = Config['energy_sites'][number];

/** Config keys whose values are secrets: registered with the log redactor at load. */
export const SECRET_PATHS = ['tesla.client_secret', 'mqtt.password', 'http.password', 'telemetry.mqtt.password'] as const;
