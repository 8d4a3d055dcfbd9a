import { z } from 'zod';
import { doorKey, durationSeconds, eventTime, latLon, plugKind, sitePatchSchema, vehiclePatchSchema } from './fields.js';

/**
 * Scripted events of a scenario. A vehicle event without `vehicle` targets the first car, a site
 * event without `site` the first energy site. The same shapes (without `at`) are accepted by
 * POST /__sim/vehicles/{vin}/events and /__sim/sites/{id}/events to make something happen now.
 */

const weekday = z.enum(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']);
const when = { at: eventTime, weekdays: z.array(weekday).min(1).optional() };
const onVehicle = { ...when, vehicle: z.string().optional() };
const onSite = { ...when, site: z.union([z.string(), z.number()]).transform(String).optional() };

export const destination = z.union([z.literal('home'), latLon.extend({ name: z.string().optional() })]);

const vehicleEvents = [
  z.strictObject({ ...onVehicle, type: z.literal('drive'), duration: durationSeconds(), miles: z.number().positive(), to: destination }),
  z.strictObject({
    ...onVehicle,
    type: z.literal('plug_in'),
    charger: plugKind.default('home'),
    /** DC: the charger's peak kW (default 150). */
    kw: z.number().positive().optional(),
    wallConnector: z.string().optional(),
  }),
  z.strictObject({ ...onVehicle, type: z.literal('unplug') }),
  z.strictObject({ ...onVehicle, type: z.literal('user_present'), duration: durationSeconds().default(300) }),
  z.strictObject({ ...onVehicle, type: z.literal('sentry'), on: z.boolean() }),
  z.strictObject({ ...onVehicle, type: z.literal('door'), open: z.boolean(), door: doorKey.default('df') }),
  z.strictObject({ ...onVehicle, type: z.literal('climate'), on: z.boolean() }),
  z.strictObject({ ...onVehicle, type: z.literal('offline'), duration: durationSeconds().optional() }),
  z.strictObject({ ...onVehicle, type: z.literal('online') }),
  z.strictObject({ ...onVehicle, type: z.literal('software_update'), version: z.string().min(1), download: durationSeconds().default(600) }),
  z.strictObject({ ...onVehicle, type: z.literal('set'), values: vehiclePatchSchema }),
] as const;

const siteEvents = [
  z.strictObject({ ...onSite, type: z.literal('grid_outage'), duration: durationSeconds().optional() }),
  z.strictObject({ ...onSite, type: z.literal('grid_restore') }),
  z.strictObject({ ...onSite, type: z.literal('storm_watch'), duration: durationSeconds().default(6 * 3600) }),
  z.strictObject({ ...onSite, type: z.literal('site_set'), values: sitePatchSchema }),
] as const;

export const VEHICLE_EVENT_TYPES = [
  'drive',
  'plug_in',
  'unplug',
  'user_present',
  'sentry',
  'door',
  'climate',
  'offline',
  'online',
  'software_update',
  'set',
] as const;
export const SITE_EVENT_TYPES = ['grid_outage', 'grid_restore', 'storm_watch', 'site_set'] as const;

export const scenarioEventSchema = z.discriminatedUnion('type', [...vehicleEvents, ...siteEvents]);
export type ScenarioEvent = z.output<typeof scenarioEventSchema>;
export type VehicleEvent = Extract<ScenarioEvent, { type: (typeof VEHICLE_EVENT_TYPES)[number] }>;
export type SiteEvent = Extract<ScenarioEvent, { type: (typeof SITE_EVENT_TYPES)[number] }>;

export function isVehicleEvent(event: ScenarioEvent): event is VehicleEvent {
  return (VEHICLE_EVENT_TYPES as readonly string[]).includes(event.type);
}
