import type { VehicleCommands } from '../../commands/vehicle-commands.js';
import type { PairingProvider } from './providers.js';

/** The page's pairing column: what the car said about our key, and whether commands go signed or REST. */
export function pairingProvider(commands: VehicleCommands): PairingProvider {
  return {
    vehicle: (vin) => {
      const mode = commands.transport.mode(vin);
      return { ...commands.pairing.state(vin), ...(mode === undefined ? {} : { mode }) };
    },
  };
}
