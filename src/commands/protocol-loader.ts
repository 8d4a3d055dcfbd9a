/** The module loaded on the first vehicle command (see protocol.ts); loaded once, then shared. */
export type Protocol = typeof import('./protocol.js');

let loading: Promise<Protocol> | undefined;

export function loadProtocol(): Promise<Protocol> {
  loading ??= import('./protocol.js');
  return loading;
}
