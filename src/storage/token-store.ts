import { join } from 'node:path';
import { z } from 'zod';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { JsonStore, zodParser } from './json-store.js';

export const TOKEN_FILE = 'tokens.json';

const tokenSetSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  /** Milliseconds since the epoch. */
  expires_at: z.number(),
  scopes: z.array(z.string()),
});

const tokenFileSchema = z.object({
  version: z.literal(1),
  account: tokenSetSchema.nullable(),
});

export type TokenSet = z.infer<typeof tokenSetSchema>;
export type TokenFile = z.infer<typeof tokenFileSchema>;

/** The Tesla account's tokens: a secret store, mode 0600, written before any new token is used. */
export function openTokenStore(dataDir: string, log: Logger, clock: Pick<Clock, 'now'>): Promise<JsonStore<TokenFile>> {
  return JsonStore.open<TokenFile>({
    file: join(dataDir, TOKEN_FILE),
    secret: true,
    defaults: () => ({ version: 1, account: null }),
    parse: zodParser(tokenFileSchema),
    log,
    clock,
  });
}
