import type { Base } from '../core/base.js';
import { prepareDataDir } from './data-dir.js';
import type { JsonStore } from './json-store.js';
import { openTokenStore, type TokenFile } from './token-store.js';
import { UsageLedger } from './usage-ledger.js';

export interface Storage {
  tokens: JsonStore<TokenFile>;
  ledger: UsageLedger;
}

/** The data folder made safe first, then the files every other room reads at start. */
export async function openStorage(base: Base, dataDir: string): Promise<Storage> {
  const log = base.log.child('storage');
  await prepareDataDir(dataDir, log);
  const tokens = await openTokenStore(dataDir, log, base.clock);
  const ledger = await UsageLedger.open(dataDir, log, base.clock);
  return { tokens, ledger };
}
