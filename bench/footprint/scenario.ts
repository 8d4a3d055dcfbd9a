import type { ScenarioInput } from '../../src/simulator/index.js';

/** Made-up identifiers (never real ones): 16-digit site ids and VINs of a 2023 Model 3 run. */
export function siteId(i: number): string {
  return String(3_000_000_000_000_000 + i);
}

function vin(i: number): string {
  return `5YJ3E1EA0PF${String(100_000 + i).slice(-6)}`;
}

/**
 * An installer's fleet: `sites` homes with a Powerwall, most with solar, every tenth with a Wall
 * Connector, and `cars` cars parked at home. Loads vary with noise, so live values change every poll.
 */
export function fleetScenario(sites: number, cars: number): ScenarioInput {
  return {
    name: `fleet-${sites}-sites-${cars}-cars`,
    seed: 11,
    energySites: Array.from({ length: sites }, (_, i) => ({
      id: siteId(i + 1),
      name: `Home ${i + 1}`,
      batteries: 1,
      batteryLevel: 40 + (i % 50),
      solarKw: i % 4 === 0 ? 0 : 5 + (i % 6),
      wallConnectors: i % 10 === 0 ? [{ din: `1457768-02-G--PGT${String(10_000 + i).slice(-5)}` }] : [],
    })),
    vehicles: Array.from({ length: cars }, (_, i) => ({ vin: vin(i + 1), name: `Car ${i + 1}`, state: i % 3 === 0 ? 'online' : 'asleep' })),
  };
}
