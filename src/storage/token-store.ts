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
  /** When these tokens were issued (ms), for refreshing at a share of their lifetime. */
  obtained_at: z.number(),
  /** Granted scopes, from the access token's `scp` claim. */
  scopes: z.array(z.string()),
  /** The Tesla account (`sub`) and its region hint (`ou_code`). */
  sub: z.string().nullable(),
  ou_code: z.string().nullable(),
});

const tokenFileSchema = z.object({
  version: z.literal(1),
  account: tokenSetSchema.nullable(),
  /** Set when Tesla refused the refresh token: the user must log in again. */
  login_required: z.object({ since: z.number(), reason: z.string() }).nullable(),
});

export type TokenSet = z.infer<typeof tokenSetSchema>;
export type TokenFile = z.infer<typeof tokenFileSchema>;

/** The Tesla account's tokens: a secret store, mode 0600, written before any new token is used. */
export function openTokenStore(dataDir: string, log: Logger, clock: Pick<Clock, 'now'>): Promise<JsonStore<TokenFile>> {
  return JsonStore.open<TokenFile>({
    file: join(dataDir, TOKEN_FILE),
    secret: true,
    defaults: () => ({ version: 1, account: null, login_required: null }),
    parse: zodParser(tokenFileSchema),
    log,
    clock,
  });
}
