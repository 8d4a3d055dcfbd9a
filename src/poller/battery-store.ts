import { join } from 'node:path';
import { z } from 'zod';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { JsonStore, zodParser } from '../storage/json-store.js';

export const BATTERY_FILE = 'battery.json';

const learnedSchema = z.object({
  efficiency: z.number().min(0.5).max(1),
  capacityKwh: z.number().positive().max(500),
  efficiencyWeightKwh: z.number().nonnegative(),
  capacityWeightPercent: z.number().nonnegative(),
});

const schema = z.object({
  version: z.literal(1),
  /** Per VIN: the charging efficiency and usable capacity learned from its readings. */
  cars: z.record(z.string(), learnedSchema),
});
export type BatteryFile = z.infer<typeof schema>;

/** data_dir/battery.json: what the battery estimate learned per car, so it survives a restart. */
export function openBatteryStore(dataDir: string, log: Logger, clock: Pick<Clock, 'now'>): Promise<JsonStore<BatteryFile>> {
  return JsonStore.open<BatteryFile>({
    file: join(dataDir, BATTERY_FILE),
    secret: false,
    defaults: () => ({ version: 1, cars: {} }),
    parse: zodParser(schema),
    log,
    clock,
  });
}
