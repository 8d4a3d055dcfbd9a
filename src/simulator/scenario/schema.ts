import { z } from 'zod';
import { isValidTimeZone } from '../util/time-zone.js';
import { decodeVin } from '../../model/vin.js';
import { isVehicleEvent, scenarioEventSchema } from './events-schema.js';
import { commandSigning, durationSeconds, exportRule, latLon, operationMode, percent, plugKind, publicKeyText, region } from './fields.js';
import { TESLA_SCOPES } from '../../config/schema.js';
import { VIN_PATTERN } from '../../config/schema-helpers.js';

/**
 * A scenario: who the account is, which apps may log in, the cars and energy sites with their
 * starting facts, and a script of timed events. Written as YAML or JSON (see loadScenario) or
 * built in code with defineScenario.
 */

/** The scopes Tesla knows; one list, shared with the daemon's config. */
export const SCOPES = TESLA_SCOPES;
export type Scope = (typeof SCOPES)[number];

const VIN = VIN_PATTERN;

const accountSchema = z.strictObject({
  email: z.string().email(),
  region: region.default('na'),
  /** The JWT `sub`; default: a stable UUID derived from the email. */
  id: z.string().min(1).optional(),
  fullName: z.string().default('Demo Owner'),
});

const clientSchema = z.strictObject({
  clientId: z.string().min(1),
  /** Absent = a public ("open source") app: PKCE only, no partner token. */
  clientSecret: z.string().min(1).optional(),
  /** Allowed redirect URIs; absent = any http(s) loopback URI (localhost, 127.0.0.1, [::1]). */
  redirectUris: z.array(z.string().url()).optional(),
  /** Scopes the app may be granted; absent = all. */
  scopes: z.array(z.enum(SCOPES)).optional(),
  /** Regions where the app counts as registered (partner_accounts); absent = all. */
  registeredRegions: z.array(region).optional(),
  /** The app's allowed origins (lower-case hosts); absent = any domain may be registered. */
  allowedOrigins: z.array(z.string()).optional(),
});

const vehicleSchema = z.strictObject({
  vin: z.string().regex(VIN, { message: 'must be 17 characters of A–Z (without I, O, Q) and 0–9' }),
  name: z.string().min(1).optional(),
  /** Owner's email; default the first account. */
  account: z.string().optional(),
  /** Default: from the VIN's 4th character. */
  model: z.enum(['S', 'X', '3', 'Y', 'C']).optional(),
  /** Default: from the VIN's 10th character. */
  year: z.number().int().min(2012).max(2040).optional(),
  /**
   * off: no Vehicle Command Protocol (signed_command → 422); allowed: REST and signed; required:
   * REST → 403 "Vehicle Command Protocol required". Default: off for a pre-2021 Model S/X, else allowed.
   */
  commandSigning: commandSigning.optional(),
  /** Client public keys on the car's keychain (PEM or hex of the uncompressed point): who may send signed commands. */
  pairedKeys: z.array(publicKeyText).default([]),
  /** Whether this app's virtual key is paired (fleet_status). */
  keyPaired: z.boolean().default(true),
  sleepAfter: durationSeconds().default(600),
  wakeDelay: durationSeconds().default(15),
  /** vehicle_data resets the inactivity timer even on a newer car (worst case for benchmarks). */
  dataKeepsAwake: z.boolean().default(false),
  /** Usable pack capacity in kWh (default: the model's nominal pack × batteryHealth). */
  batteryKwh: z.number().positive().optional(),
  /** Usable share of the nominal pack: a worn pack holds less than the model's figure. */
  batteryHealth: z.number().min(0.5).max(1).default(0.94),
  /** Energy used while driving. */
  whPerMile: z.number().positive().default(250),
  state: z.enum(['online', 'asleep', 'offline']).default('online'),
  batteryLevel: percent.default(64),
  chargeLimit: z.number().int().min(50).max(100).default(80),
  chargeAmps: z.number().int().min(1).max(80).optional(),
  /** Where it is parked; default its home. */
  location: latLon.optional(),
  /** Where "home" is for drives and the home Wall Connector; default the first energy site's location. */
  home: latLon.optional(),
  heading: z.number().min(0).max(360).default(0),
  pluggedIn: z.union([z.literal(false), plugKind]).default(false),
  locked: z.boolean().default(true),
  sentry: z.boolean().default(false),
  odometer: z.number().min(0).default(12_000),
  /** Daily mean outside temperature, °C (the day swings ±5 °C around it). */
  outsideTemp: z.number().min(-40).max(50).default(15),
  insideTemp: z.number().optional(),
  carVersion: z.string().default('2025.44.25.1 6b0f0e2dc93a'),
  softwareUpdate: z.strictObject({ version: z.string(), status: z.enum(['available', 'downloading']) }).optional(),
  color: z.string().default('PearlWhite'),
});

const wallConnectorSchema = z.strictObject({
  din: z.string().min(1).optional(),
  maxAmps: z.number().int().min(6).max(80).default(48),
  voltage: z.number().positive().default(240),
  phases: z.union([z.literal(1), z.literal(3)]).default(1),
});

const siteSchema = z.strictObject({
  id: z
    .union([z.string(), z.number().int().nonnegative()])
    .transform(String)
    // Tesla sends it as a JSON number, so it must survive being one.
    .refine((id) => /^\d{1,16}$/.test(id) && Number.isSafeInteger(Number(id)), {
      message: 'must be a whole number of at most 16 digits, below 9007199254740992',
    }),
  name: z.string().min(1).default('My Home'),
  account: z.string().optional(),
  location: latLon.default({ lat: 37.4, lon: -122.1 }),
  /** Default: the scenario's time zone. */
  timeZone: z.string().optional(),
  /** Number of Powerwalls (13.5 kWh, 5 kW each); 0 = none. */
  batteries: z.number().int().min(0).max(10).default(1),
  batteryLevel: percent.default(50),
  backupReserve: percent.default(20),
  mode: operationMode.default('self_consumption'),
  exportRule: exportRule.default('battery_ok'),
  disallowGridCharging: z.boolean().default(false),
  stormModeEnabled: z.boolean().default(true),
  /** Off grid, Wall Connectors pause when the Powerwall is at or below this. */
  offGridVehicleChargingReserve: percent.default(50),
  /** Solar peak on a clear day, kW; 0 = no solar. */
  solarKw: z.number().min(0).default(0),
  load: z
    .strictObject({
      baseW: z.number().min(0).default(400),
      morningW: z.number().min(0).default(1200),
      eveningW: z.number().min(0).default(2200),
      /** Relative noise amplitude (0.15 = ±15 %). */
      noise: z.number().min(0).max(1).default(0.15),
    })
    .default({ baseW: 400, morningW: 1200, eveningW: 2200, noise: 0.15 }),
  wallConnectors: z.array(wallConnectorSchema).default([]),
  installationDate: z.string().default('2024-05-01T10:00:00Z'),
});

export const scenarioSchema = z
  .strictObject({
    name: z.string().default('custom'),
    timeZone: z.string().default('America/Los_Angeles').refine(isValidTimeZone, { message: 'is not an IANA time zone such as Europe/Berlin' }),
    /** Seeds the deterministic noise of home loads and driving. */
    seed: z.number().int().default(1),
    accounts: z
      .array(accountSchema)
      .min(1)
      .default([{ email: 'owner@demo.teslahub.invalid', region: 'na', fullName: 'Demo Owner' }]),
    clients: z.array(clientSchema).default([]),
    vehicles: z.array(vehicleSchema).default([]),
    energySites: z.array(siteSchema).default([]),
    events: z.array(scenarioEventSchema).default([]),
  })
  .superRefine((scenario, ctx) => {
    const emails = new Set(scenario.accounts.map((a) => a.email));
    const vins = new Set<string>();
    scenario.vehicles.forEach((vehicle, index) => {
      if (vins.has(vehicle.vin)) ctx.addIssue({ code: 'custom', path: ['vehicles', index, 'vin'], message: 'is used by another vehicle' });
      vins.add(vehicle.vin);
      if (vehicle.account !== undefined && !emails.has(vehicle.account)) {
        ctx.addIssue({ code: 'custom', path: ['vehicles', index, 'account'], message: 'is not the email of an account of this scenario' });
      }
      if (vehicle.model === undefined && decodeVin(vehicle.vin).model === undefined) {
        ctx.addIssue({ code: 'custom', path: ['vehicles', index, 'model'], message: 'is needed: the VIN does not tell the model (S, X, 3, Y or C)' });
      }
    });
    const siteIds = new Set<string>();
    const dins = new Set<string>();
    scenario.energySites.forEach((site, index) => {
      if (siteIds.has(site.id)) ctx.addIssue({ code: 'custom', path: ['energySites', index, 'id'], message: 'is used by another site' });
      siteIds.add(site.id);
      if (site.timeZone !== undefined && !isValidTimeZone(site.timeZone)) {
        ctx.addIssue({ code: 'custom', path: ['energySites', index, 'timeZone'], message: 'is not an IANA time zone' });
      }
      if (site.account !== undefined && !emails.has(site.account)) {
        ctx.addIssue({ code: 'custom', path: ['energySites', index, 'account'], message: 'is not the email of an account of this scenario' });
      }
      site.wallConnectors.forEach((wc, wcIndex) => {
        if (wc.din === undefined) return;
        if (dins.has(wc.din)) ctx.addIssue({ code: 'custom', path: ['energySites', index, 'wallConnectors', wcIndex, 'din'], message: 'is used twice' });
        dins.add(wc.din);
      });
    });
    scenario.events.forEach((event, index) => {
      if (isVehicleEvent(event)) {
        if (scenario.vehicles.length === 0)
          ctx.addIssue({ code: 'custom', path: ['events', index], message: 'is a vehicle event, but the scenario has no vehicles' });
        else if (event.vehicle !== undefined && !vins.has(event.vehicle))
          ctx.addIssue({ code: 'custom', path: ['events', index, 'vehicle'], message: 'is not the VIN of a vehicle of this scenario' });
      } else {
        if (scenario.energySites.length === 0)
          ctx.addIssue({ code: 'custom', path: ['events', index], message: 'is a site event, but the scenario has no energy sites' });
        else if (event.site !== undefined && !siteIds.has(event.site))
          ctx.addIssue({ code: 'custom', path: ['events', index, 'site'], message: 'is not the id of an energy site of this scenario' });
      }
    });
  });

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ScenarioVehicle = Scenario['vehicles'][number];
export type ScenarioSite = Scenario['energySites'][number];
export type ScenarioClient = Scenario['clients'][number];
export type ScenarioAccount = Scenario['accounts'][number];
