import { parseScenario } from './load.js';
import type { Scenario } from './schema.js';

/** Made-up identifiers of the demo world (never real ones). */
export const DEMO_VIN = '5YJ3E1EA0PF000001';
export const DEMO_SITE_ID = '1234567890123456';
export const DEMO_EMAIL = 'demo@teslahub.invalid';

/**
 * The built-in world: one account in North America; a 2023 Model 3 parked at home at 64 %; a
 * home with one Powerwall at 55 %, 7 kW of solar and a Wall Connector; and a working day that
 * repeats: the driver gets in at 07:20, commutes to the office at 07:30, drives home at 17:30,
 * and plugs in at 18:05, charging to 80 % overnight.
 */
export function demoScenario(): Scenario {
  return parseScenario(
    {
      name: 'demo',
      timeZone: 'America/Los_Angeles',
      seed: 7,
      accounts: [{ email: DEMO_EMAIL, region: 'na', fullName: 'Demo Owner' }],
      vehicles: [
        {
          vin: DEMO_VIN,
          name: 'Demo Model 3',
          commandSigning: 'allowed',
          state: 'online',
          batteryLevel: 64,
          chargeLimit: 80,
          outsideTemp: 16,
        },
      ],
      energySites: [
        {
          id: DEMO_SITE_ID,
          name: 'Demo Home',
          location: { lat: 37.4, lon: -122.1 },
          batteries: 1,
          batteryLevel: 55,
          backupReserve: 20,
          solarKw: 7,
          mode: 'self_consumption',
          exportRule: 'battery_ok',
          wallConnectors: [{ maxAmps: 48, voltage: 240, phases: 1 }],
        },
      ],
      events: [
        { at: '07:20', type: 'user_present', duration: '10m' },
        { at: '07:30', type: 'drive', duration: '25m', miles: 14, to: { lat: 37.48, lon: -122.21, name: 'Office' } },
        { at: '17:30', type: 'drive', duration: '30m', miles: 14.5, to: 'home' },
        { at: '18:05', type: 'plug_in', charger: 'home' },
      ],
    },
    'the demo scenario',
  );
}
