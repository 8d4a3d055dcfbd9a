import { join } from 'node:path';
import { z } from 'zod';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { JsonStore, zodParser } from '../storage/json-store.js';

export const TELEMETRY_FILE = 'telemetry.json';

const schema = z.object({
  version: z.literal(1),
  /** Cars whose streaming the owner removed: the daemon leaves them unconfigured until configure. */
  removed: z.array(z.string()),
  /** The last push per car: when, and until when it is valid (Unix seconds). */
  pushed: z.record(z.string(), z.object({ at: z.number(), exp: z.number() })),
});
export type TelemetryFile = z.infer<typeof schema>;

/** data_dir/telemetry.json: shared by the CLI and the daemon (which reloads it at each check). */
export function openTelemetryStore(dataDir: string, log: Logger, clock: Pick<Clock, 'now'>): Promise<JsonStore<TelemetryFile>> {
  return JsonStore.open<TelemetryFile>({
    file: join(dataDir, TELEMETRY_FILE),
    secret: false,
    defaults: () => ({ version: 1, removed: [], pushed: {} }),
    parse: zodParser(schema),
    log,
    clock,
  });
}
