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

export const telemetrySchema = z.strictObject({
  enabled: z.boolean().default(false),
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
});

export type TelemetryConfig = z.output<typeof telemetrySchema>;
