// Child process for the crash test: opens stores in a folder and rewrites them as fast as it can,
// printing "ack <store> <seq>" after each write is durable. The parent kills it at random moments.
import { join } from 'node:path';
import { SystemClock } from '../../src/core/clock.js';
import { Logger } from '../../src/core/logger.js';
import { JsonStore } from '../../src/storage/json-store.js';
import { type Record, recordFor, STORES } from './store-records.js';

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: store-writer <dir>');
  const clock = new SystemClock();
  const log = new Logger({ level: 'error', format: 'json', sink: { write: (line) => process.stderr.write(line) }, clock });
  const stores = await Promise.all(
    STORES.map(({ name, secret }) =>
      JsonStore.open<Record>({
        file: join(dir, name),
        secret,
        defaults: () => ({ seq: 0, payload: '', sha256: '' }),
        parse: (raw) => raw as Record,
        log,
        clock,
      }),
    ),
  );
  process.stdout.write('ready\n');
  // Each store continues from what is on disk, so sequence numbers only grow across rounds.
  await Promise.all(
    stores.map(async (store, index) => {
      for (let seq = store.data.seq + 1; ; seq++) {
        await store.replace(recordFor(seq));
        process.stdout.write(`ack ${STORES[index]?.name} ${seq}\n`);
      }
    }),
  );
}

await main();
