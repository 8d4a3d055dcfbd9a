import type { Model } from '../../model/vin.js';

/** Facts of a model that the API reports or the physics needs. Figures are typical, not exact. */
export interface ModelSpec {
  carType: string;
  batteryKwh: number;
  /** EPA-style rated range at 100 %, miles (battery_range). */
  ratedRangeMiles: number;
  /** Onboard charger limit, A. */
  acMaxAmps: number;
  dcMaxKw: number;
  trimBadging: string;
  thirdRowSeats: string;
  hasAirSuspension: boolean;
  /** Panoramic sunroof (only pre-2021 Model S). */
  sunRoof: boolean;
}

export function modelSpec(model: Model, pre2021: boolean): ModelSpec {
  switch (model) {
    case '3':
      return {
        carType: 'model3',
        batteryKwh: 75,
        ratedRangeMiles: 341,
        acMaxAmps: 48,
        dcMaxKw: 250,
        trimBadging: '74d',
        thirdRowSeats: 'None',
        hasAirSuspension: false,
        sunRoof: false,
      };
    case 'Y':
      return {
        carType: 'modely',
        batteryKwh: 75,
        ratedRangeMiles: 310,
        acMaxAmps: 48,
        dcMaxKw: 250,
        trimBadging: '74d',
        thirdRowSeats: 'None',
        hasAirSuspension: false,
        sunRoof: false,
      };
    case 'S':
      return {
        carType: 'models',
        batteryKwh: 100,
        ratedRangeMiles: pre2021 ? 370 : 405,
        acMaxAmps: 48,
        dcMaxKw: pre2021 ? 150 : 250,
        trimBadging: '100d',
        thirdRowSeats: 'None',
        hasAirSuspension: true,
        sunRoof: pre2021,
      };
    case 'X':
      return {
        carType: 'modelx',
        batteryKwh: 100,
        ratedRangeMiles: pre2021 ? 325 : 348,
        acMaxAmps: 48,
        dcMaxKw: pre2021 ? 150 : 250,
        trimBadging: '100d',
        thirdRowSeats: 'FuturisFoldFlat',
        hasAirSuspension: true,
        sunRoof: false,
      };
    case 'C':
      return {
        carType: 'cybertruck',
        batteryKwh: 123,
        ratedRangeMiles: 318,
        acMaxAmps: 48,
        dcMaxKw: 250,
        trimBadging: 'awd',
        thirdRowSeats: 'None',
        hasAirSuspension: true,
        sunRoof: false,
      };
  }
}

export const MODEL_NAMES: Record<Model, string> = { S: 'Model S', X: 'Model X', '3': 'Model 3', Y: 'Model Y', C: 'Cybertruck' };
