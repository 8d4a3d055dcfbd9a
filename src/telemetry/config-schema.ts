import { z } from 'zod';
import { duration, filePath, port, text, topicPrefix, url } from '../config/schema-helpers.js';
import { FIELD_NAMES, isFieldName } from './field-names.js';

/** The `telemetry:` section of config.yaml (Fleet Telemetry: the car streams, teslahub listens). */

export const ALERT_TYPES = ['customer', 'service', 'service-fix'] as const;

const fieldOptions = z.strictObject({
  interval_seconds: z.number().int({ message: 'is a whole number of seconds (fix: e.g. 30)' }).min(1).max(86_400),
  minimum_delta: z.number().min(0).optional(),
  resend_interval_seconds: z.number().int().min(0).max(86_400).optional(),
});

/** A close known name, for "did you mean". */
function nearest(name: string): string | undefined {
  const lower = name.toLowerCase();
  return FIELD_NAMES.find((known) => known.toLowerCase() === lower) ?? FIELD_NAMES.find((known) => known.toLowerCase().startsWith(lower.slice(0, 6)));
}

const fields = z.record(z.string(), z.union([fieldOptions, z.literal(false)])).superRefine((value, ctx) => {
  for (const name of Object.keys(value)) {
    if (isFieldName(name)) continue;
    const hint = nearest(name);
    ctx.addIssue({
      code: 'custom',
      path: [name],
      message: `"${name}" is not a Fleet Telemetry field (fix: ${hint ? `did you mean ${hint}? ` : ''}use a name from Tesla's field list, e.g. BatteryLevel)`,
    });
  }
});

/** `host:port`, `[v6]:port` or `:port` (all interfaces): where the built-in receiver listens. */
export function parseListen(value: string): { host: string; port: number } | undefined {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]*)):(\d{1,5})$/.exec(value.trim());
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port > 65535) return undefined;
  return { host: match[1] ?? (match[2] || '0.0.0.0'), port };
}

const listen = () =>
  text().refine((value) => parseListen(value) !== undefined, {
    message: 'is not "host:port" (fix: e.g. "0.0.0.0:4443" for every interface, or "192.168.1.5:4443"; port 0 picks a free one)',
  });

/** Bounds for a port open to the internet; the defaults suit a household's cars. */
const limitsSchema = z.strictObject({
  /** Open connections in total (cars and anything else knocking). */
  connections: z.number().int().min(1).max(10_000).default(64),
  /** Open connections per VIN: a reconnecting car may overlap its old connection briefly. */
  per_vehicle: z.number().int().min(1).max(16).default(2),
  /** The largest WebSocket frame taken; Tesla's server uses 1,000,000 bytes. */
  frame_bytes: z.number().int().min(1024).max(16_000_000).default(1_000_000),
  /** Time for the TLS handshake and the WebSocket upgrade together. */
  handshake_timeout: duration({ min: 1, max: 300 }).default(10),
  /** A connection silent this long is closed (the car reconnects when it has something to say). */
  idle_timeout: duration({ min: 30, max: 86_400 }).default(1800),
  /** Messages per minute per connection before frames are refused (a car sends at most two per second). */
  messages_per_minute: z.number().int().min(10).max(100_000).default(600),
});

export const receiverSchema = z.strictObject({
  listen: listen().default('0.0.0.0:4443'),
  /** The server certificate for `hostname` (PEM, full chain, e.g. Let's Encrypt's fullchain.pem); re-read when it changes. */
  cert: filePath().optional(),
  /** Its private key (PEM, e.g. privkey.pem). */
  key: filePath().optional(),
  /** The CA(s) that issue cars' client certificates. Unset: Tesla's production CA, shipped with teslahub. */
  client_ca: filePath().optional(),
  limits: limitsSchema.prefault({}),
});

export const TELEMETRY_SOURCES = ['builtin', 'mqtt'] as const;

export const telemetrySchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    /**
     * builtin: teslahub's own receiver takes the cars' connections; mqtt: Tesla's fleet-telemetry
     * server does, and teslahub reads what it publishes.
     */
    source: z.enum(TELEMETRY_SOURCES).default('builtin'),
    receiver: receiverSchema.prefault({}),
    /** The public host name cars connect to: where Tesla's fleet-telemetry server listens. */
    hostname: text()
      .refine((value) => /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(value), {
        message: 'is not a host name (fix: only the name, e.g. telemetry.example.com, without https:// or a port)',
      })
      .optional(),
    port: port(false).default(443),
    /** PEM file with the chain that issued the server's certificate (the car checks the server against it). */
    ca: filePath().optional(),
    prefer_typed: z.boolean().default(true),
    alert_types: z.array(z.enum(ALERT_TYPES)).default(['customer']),
    /** How long a signed configuration is valid (its `exp`), and how long before that it is renewed. */
    valid_for: duration({ min: 86_400, max: 365 * 86_400 }).default(30 * 86_400),
    renew_before: duration({ min: 3600, max: 180 * 86_400 }).default(7 * 86_400),
    /** How often each car's configuration and the reported errors are checked (free calls). */
    check_interval: duration({ min: 60, max: 86_400 }).default(900),
    /** Resend interval of the heartbeat fields; two missed heartbeats of a connected car start polling. */
    heartbeat: duration({ min: 10, max: 3600 }).default(300),
    /** Per-field changes to the default set: options, or false to leave a field out. */
    fields: fields.default({}),
    mqtt: z
      .strictObject({
        /** Unset: the broker in mqtt (fleet-telemetry publishes to the same one). */
        url: url(['mqtt', 'mqtts', 'tcp', 'tls', 'ws', 'wss'], 'mqtt://192.168.1.10:1883').optional(),
        username: text().optional(),
        password: text().optional(),
        client_id: text().default('teslahub-telemetry'),
        /** fleet-telemetry's mqtt.topic_base. */
        topic_base: topicPrefix().default('telemetry'),
      })
      .prefault({}),
  })
  .superRefine((value, ctx) => {
    if (!value.enabled || value.source !== 'builtin') return;
    for (const key of ['cert', 'key'] as const) {
      if (value.receiver[key] !== undefined) continue;
      ctx.addIssue({
        code: 'custom',
        path: ['receiver', key],
        message: `is needed by the built-in receiver (fix: the PEM file of the certificate ${key === 'cert' ? 'for telemetry.hostname, e.g. /etc/letsencrypt/live/<host>/fullchain.pem' : "'s private key, e.g. /etc/letsencrypt/live/<host>/privkey.pem"}; or set telemetry.source: mqtt to use Tesla's fleet-telemetry server)`,
      });
    }
  });

export type TelemetryConfig = z.output<typeof telemetrySchema>;
