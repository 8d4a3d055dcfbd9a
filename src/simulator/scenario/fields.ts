import { z } from 'zod';
import { parseDuration } from '../../config/duration.js';
import { REGIONS } from '../types.js';
import { parsePublicKey } from '../../signing/vcp-crypto.js';

/**
 * Field schemas shared by scenarios and by the /__sim/ patch routes. Every transform is
 * idempotent (a parsed value parses to itself), so a parsed scenario can be validated again.
 */

/** A duration as `30s`, `5m`, `1h30m` or a number of seconds; parsed to seconds. */
export const durationSeconds = () =>
  z.union([z.number(), z.string()]).transform((value, ctx): number => {
    const seconds = parseDuration(value);
    if (seconds === undefined) {
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)} is not a duration (write 30s, 5m, 1h or a number of seconds)` });
      return z.NEVER;
    }
    return seconds;
  });

export const latLon = z.strictObject({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
});

export const region = z.enum(REGIONS);
export const percent = z.number().min(0).max(100);
export const commandSigning = z.enum(['off', 'allowed', 'required']);
export const plugKind = z.enum(['home', 'ac', 'dc']);
export const operationMode = z.enum(['self_consumption', 'autonomous', 'backup']);
export const exportRule = z.enum(['never', 'pv_only', 'battery_ok']);
export const doorKey = z.enum(['df', 'dr', 'pf', 'pr', 'ft', 'rt']);

/** A client's P-256 public key for a car's keychain: PEM, or the hex of its uncompressed point. */
export const publicKeyText = z.string().refine(
  (text) => {
    try {
      parsePublicKey(text);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be a P-256 public key: a PEM, or 130 hex digits starting 04' },
);
export const signingDomains = z.enum(['vehicle_security', 'infotainment', 'both']);

/** Changes to a car's world facts, from a scenario's `set` event or POST /__sim/vehicles/{vin}. */
export const vehiclePatchSchema = z.strictObject({
  displayName: z.string().min(1).optional(),
  commandSigning: commandSigning.optional(),
  keyPaired: z.boolean().optional(),
  /** Adds a client key to the car's keychain: what opening https://tesla.com/_ak/<domain> in the Tesla app does. */
  pairKey: publicKeyText.optional(),
  /** Removes a client key from the keychain; its sessions end. */
  unpairKey: publicKeyText.optional(),
  /** Restarts the car's signing domains: new epochs, so every session with them is lost. */
  restartSigning: signingDomains.optional(),
  /** Whether the firmware encrypts signed-command replies when asked (2024.38 and later). */
  encryptResponses: z.boolean().optional(),
  /** true puts the car to sleep now (even if something would keep it awake); false wakes it at once. */
  asleep: z.boolean().optional(),
  /** true cuts its connectivity (state "offline"); false restores it. */
  offline: z.boolean().optional(),
  userPresent: z.boolean().optional(),
  sentry: z.boolean().optional(),
  locked: z.boolean().optional(),
  doors: z.partialRecord(doorKey, z.boolean()).optional(),
  windows: z.partialRecord(z.enum(['fd', 'fp', 'rd', 'rp']), z.boolean()).optional(),
  /** false unplugs; home = the home Wall Connector, ac = a public AC charger, dc = a fast charger. */
  pluggedIn: z.union([z.literal(false), plugKind]).optional(),
  climateOn: z.boolean().optional(),
  batteryLevel: percent.optional(),
  chargeLimit: z.number().int().min(50).max(100).optional(),
  chargeAmps: z.number().int().min(0).max(80).optional(),
  insideTemp: z.number().min(-40).max(80).optional(),
  outsideTemp: z.number().min(-40).max(60).optional(),
  location: latLon.optional(),
  odometer: z.number().min(0).optional(),
  dataKeepsAwake: z.boolean().optional(),
  sleepAfter: durationSeconds().optional(),
  wakeDelay: durationSeconds().optional(),
  softwareUpdate: z
    .strictObject({ version: z.string().min(1), status: z.enum(['available', 'downloading']) })
    .nullable()
    .optional(),
});
export type VehiclePatch = z.output<typeof vehiclePatchSchema>;

/** Changes to an energy site, from a scenario's `site_set` event or POST /__sim/sites/{id}. */
export const sitePatchSchema = z.strictObject({
  batteryLevel: percent.optional(),
  backupReserve: percent.optional(),
  mode: operationMode.optional(),
  exportRule: exportRule.optional(),
  disallowGridCharging: z.boolean().optional(),
  stormModeEnabled: z.boolean().optional(),
  /** A storm watch in progress (Tesla raises it from weather alerts). */
  stormWatch: z.boolean().optional(),
  /** false = grid outage now, true = grid back. */
  gridUp: z.boolean().optional(),
  /** 1 = clear sky, 0 = no sun at all. */
  solarFactor: z.number().min(0).max(1).optional(),
  offGridVehicleChargingReserve: percent.optional(),
});
export type SitePatch = z.output<typeof sitePatchSchema>;

/** Daily `HH:MM` in the scenario's time zone, an ISO time with offset, or a local `YYYY-MM-DDTHH:MM`. */
export const eventTime = z.string().regex(/^(?:(?:[01]?\d|2[0-3]):[0-5]\d|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)$/, {
  message: 'must be a daily time like "07:30" or an ISO time like "2026-03-01T07:30:00Z"',
});
