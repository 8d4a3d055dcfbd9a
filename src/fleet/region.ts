import { join } from 'node:path';
import { z } from 'zod';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { JsonStore, zodParser } from '../storage/json-store.js';

export const REGIONS = ['na', 'eu', 'cn'] as const;
export type Region = (typeof REGIONS)[number];

/** Tesla's Fleet API hosts per region. */
export const REGION_BASE_URLS: Record<Region, string> = {
  na: 'https://fleet-api.prd.na.vn.cloud.tesla.com',
  eu: 'https://fleet-api.prd.eu.vn.cloud.tesla.com',
  cn: 'https://fleet-api.prd.cn.vn.cloud.tesla.cn',
};

const fleetStateSchema = z.object({
  version: z.literal(1),
  /** The base URL the account was found on, and the config it was found under. */
  base_url: z.string().nullable(),
  found_for: z.string().nullable(),
});
type FleetState = z.infer<typeof fleetStateSchema>;

export interface RegionOptions {
  /** `tesla.region` */
  region: 'auto' | Region;
  /** `tesla.api_base_url`: a simulator or proxy instead of Tesla. */
  apiBaseUrl: string | undefined;
  /** The region named in the access token (`ou_code`), a hint only. */
  tokenRegion: () => Region | undefined;
}

/**
 * Which Fleet API base URL the account lives on. Remembered on disk: once Tesla has said
 * "use this base URL" (421, or users/region), every later start goes there directly.
 */
export class RegionResolver {
  private readonly store: JsonStore<FleetState>;
  private readonly options: RegionOptions;
  private readonly log: Logger;

  private constructor(store: JsonStore<FleetState>, options: RegionOptions, log: Logger) {
    this.store = store;
    this.options = options;
    this.log = log;
  }

  static async open(dataDir: string, options: RegionOptions, log: Logger, clock: Clock): Promise<RegionResolver> {
    const store = await JsonStore.open<FleetState>({
      file: join(dataDir, 'fleet.json'),
      secret: false,
      defaults: () => ({ version: 1, base_url: null, found_for: null }),
      parse: zodParser(fleetStateSchema),
      log,
      clock,
    });
    return new RegionResolver(store, options, log);
  }

  /** The setting the remembered URL depends on: a change of it forgets the URL. */
  private get setting(): string {
    return this.options.apiBaseUrl ?? `region:${this.options.region}`;
  }

  /** Whether the base URL was confirmed by Tesla (or pinned), rather than guessed. */
  get known(): boolean {
    return this.store.data.base_url !== null && this.store.data.found_for === this.setting;
  }

  baseUrl(): string {
    const { data } = this.store;
    if (data.base_url && data.found_for === this.setting) return data.base_url;
    return this.initialBaseUrl();
  }

  /** Base URLs to try, best guess first, for discovery through users/region. */
  candidates(): string[] {
    if (this.options.apiBaseUrl) return [this.options.apiBaseUrl];
    const first = this.initialBaseUrl();
    return [first, ...REGIONS.map((r) => REGION_BASE_URLS[r]).filter((url) => url !== first)];
  }

  async remember(baseUrl: string, why: string): Promise<void> {
    const url = baseUrl.replace(/\/+$/, '');
    if (this.store.data.base_url === url && this.store.data.found_for === this.setting) return;
    this.log.info(`Fleet API base URL is now ${url}`, { why });
    await this.store.replace({ version: 1, base_url: url, found_for: this.setting });
  }

  private initialBaseUrl(): string {
    if (this.options.apiBaseUrl) return this.options.apiBaseUrl.replace(/\/+$/, '');
    if (this.options.region !== 'auto') return REGION_BASE_URLS[this.options.region];
    return REGION_BASE_URLS[this.options.tokenRegion() ?? 'na'];
  }
}

export function regionFromCode(code: unknown): Region | undefined {
  const lower = typeof code === 'string' ? code.toLowerCase() : '';
  return (REGIONS as readonly string[]).includes(lower) ? (lower as Region) : undefined;
}
