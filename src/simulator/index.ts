/**
 * The Fleet API simulator: Tesla's Fleet API and OAuth server over real HTTP, with a world of
 * cars and energy sites driven by an injected clock. See simulator.ts for the server,
 * world/world.ts for the model, scenario/schema.ts for scenarios, http/control-routes.ts for
 * the /__sim/ controls.
 */
export { Simulator, type SimulatorOptions, type TokenOptions } from './simulator.js';
export type { BillingCategory, BillingReport, FaultRule, Region, SimRequest } from './types.js';
export { REGIONS } from './types.js';
export { World, type Account, type WorldOptions } from './world/world.js';
export { WorldError } from './world/errors.js';
export { Vehicle, type VehicleStatus, type SleepBlocker } from './vehicle/vehicle.js';
export type { VehicleState, ChargingState } from './vehicle/state.js';
export { EnergySite, type SiteSettings, type SiteState } from './energy/energy-site.js';
export type { Flows } from './energy/flows.js';
export { HISTORY_FIELDS } from './energy/history.js';
export { isPre2021ModelSX, decodeVin } from '../model/vin.js';
export { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from './auth/clients.js';
export { demoScenario, DEMO_EMAIL, DEMO_SITE_ID, DEMO_VIN } from './scenario/demo.js';
export { defineScenario, loadScenario, parseScenario, ScenarioError } from './scenario/load.js';
export { SCOPES, type Scenario, type ScenarioInput, type Scope } from './scenario/schema.js';
export type { ScenarioEvent } from './scenario/events-schema.js';
export type { SitePatch, VehiclePatch } from './scenario/fields.js';
export {
  INVALID_TOKEN,
  MISSING_SCOPES,
  TOKEN_EXPIRED,
  VCP_REQUIRED,
  VEHICLE_UNAVAILABLE,
  notRegistered,
  outOfRegion,
} from './http/tesla-errors.js';
