/**
 * What a VIN says about a Tesla: the model (4th character) and the model year (10th character),
 * and whether it is a pre-2021 Model S/X, the cars that polling keeps awake.
 */

export type Model = 'S' | 'X' | '3' | 'Y' | 'C';

/** Model-year letters in order from 2010; I, O, Q, U, Z and 0 are never used. */
const YEAR_CODES = 'ABCDEFGHJKLMNPRSTVWXY';

export interface VinFacts {
  model: Model | undefined;
  year: number | undefined;
}

export function decodeVin(vin: string): VinFacts {
  const modelChar = vin.charAt(3);
  const model = (['S', 'X', '3', 'Y', 'C'] as const).find((m) => m === modelChar);
  const yearIndex = YEAR_CODES.indexOf(vin.charAt(9));
  return { model, year: yearIndex >= 0 ? 2010 + yearIndex : undefined };
}

/**
 * The rule the Home Assistant integration and its library use: model S or X, and a model year up
 * to 2020 (`L`), or 2021 (`M`) with plant/line character 8 in 1–4 (the pre-refresh cars).
 */
export function isPre2021ModelSX(vin: string): boolean {
  const model = vin.charAt(3);
  if (model !== 'S' && model !== 'X') return false;
  const year = vin.charAt(9);
  // Digits (2001–2009) sort before letters, as in the library's plain string comparison.
  if (year <= 'L') return true;
  return year === 'M' && ['1', '2', '3', '4'].includes(vin.charAt(7));
}
