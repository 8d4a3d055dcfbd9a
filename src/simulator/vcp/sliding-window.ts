/**
 * The anti-replay window of a domain (Tesla's `sliding_window` vectors): `counter` is the highest accepted counter, bit (age − 1) of the 64-bit
 * `window` marks counter − age as used. BigInt, because JavaScript shifts are 32-bit.
 */
export const WINDOW_SIZE = 32;
const MASK_64 = (1n << 64n) - 1n;

export interface WindowState {
  counter: number;
  window: bigint;
}

export function slideWindow(state: WindowState, next: number): { ok: boolean } & WindowState {
  if (next === state.counter) return { ok: false, ...state };
  if (next < state.counter) {
    const age = state.counter - next;
    if (age > WINDOW_SIZE) return { ok: false, ...state };
    const bit = 1n << BigInt(age - 1);
    if ((state.window & bit) !== 0n) return { ok: false, ...state };
    return { ok: true, counter: state.counter, window: state.window | bit };
  }
  const shift = next - state.counter;
  const window = shift >= 64 ? 0n : ((state.window << BigInt(shift)) | (1n << BigInt(shift - 1))) & MASK_64;
  return { ok: true, counter: next, window };
}
