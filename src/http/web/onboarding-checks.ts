import type { OAuthClient } from '../../auth/oauth-client.js';
import type { Clock } from '../../core/clock.js';
import { errorMessage, UserError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { HttpTransport } from '../../fleet/transport.js';
import { loadPublicKeyPem, publicKeyHex, publicKeyUrl } from '../../signing/keys.js';
import { checkRegistration, type RegistrationState } from './registration-check.js';

export type KeyState = { ok: true; publicPem: string; hex: string } | { ok: false; problem: string; fix: string | undefined };

export type HostingState =
  | { state: 'ok'; url: string }
  | { state: 'no_domain' }
  | { state: 'no_key' }
  | { state: 'checking'; url: string }
  | { state: 'mismatch' | 'not_found' | 'unreachable'; url: string; detail: string };

export interface OnboardingSnapshot {
  key: KeyState;
  hosting: HostingState;
  /** One entry per region checked; empty when the check cannot run yet (no app, domain or key). */
  registration: RegistrationState[];
}

export interface OnboardingCheckDeps {
  privateKeyPath: string;
  domain: string | undefined;
  /** Tesla's OAuth client, for partner tokens; undefined until client id and secret are set. */
  oauth: OAuthClient | undefined;
  /** The Fleet API base URLs whose registration is checked. */
  regions: readonly string[];
  transport: HttpTransport;
  clock: Clock;
  log: Logger;
}

const OK_TTL_MS = 10 * 60_000;
const FAILED_TTL_MS = 60_000;
const FETCH_TIMEOUT_MS = 8_000;

interface Cached<T> {
  value: T | undefined;
  at: number;
  ok: boolean;
  pending: Promise<T> | undefined;
}

/**
 * The onboarding facts that need I/O: the key pair on disk, the public key as the world sees it
 * at the configured domain (fetched like Tesla fetches it), and partner registration per region.
 * Network answers are cached (10 min when fine, 1 min when not) so the page stays quick and
 * Tesla is not asked on every reload.
 */
export class OnboardingChecks {
  private readonly deps: OnboardingCheckDeps;
  private hosting: Cached<HostingState> = { value: undefined, at: 0, ok: false, pending: undefined };
  private registration: Cached<RegistrationState[]> = { value: undefined, at: 0, ok: false, pending: undefined };

  constructor(deps: OnboardingCheckDeps) {
    this.deps = deps;
  }

  /** Forget cached answers (the "check again" button). */
  invalidate(): void {
    this.hosting = { value: undefined, at: 0, ok: false, pending: this.hosting.pending };
    this.registration = { value: undefined, at: 0, ok: false, pending: this.registration.pending };
  }

  /** What is known, waiting at most `waitMs` for checks that are due. */
  async snapshot(waitMs: number): Promise<OnboardingSnapshot> {
    const key = await this.key();
    const hostingPending = this.refresh(this.hosting, () => this.checkHosting(key));
    const registrationPending = this.refresh(this.registration, () => this.checkRegistration(key));
    const pending: Promise<unknown>[] = [];
    if (hostingPending) pending.push(hostingPending);
    if (registrationPending) pending.push(registrationPending);
    if (pending.length > 0 && waitMs > 0) {
      const timeout = new AbortController();
      await Promise.race([Promise.allSettled(pending), this.deps.clock.sleep(waitMs, timeout.signal).catch(() => undefined)]);
      timeout.abort();
    }
    const { domain } = this.deps;
    return {
      key,
      hosting: this.hosting.value ?? (domain ? { state: 'checking', url: publicKeyUrl(domain) } : { state: 'no_domain' }),
      registration: this.registration.value ?? [],
    };
  }

  async key(): Promise<KeyState> {
    try {
      const publicPem = await loadPublicKeyPem(this.deps.privateKeyPath);
      return { ok: true, publicPem, hex: publicKeyHex(publicPem) };
    } catch (error) {
      return { ok: false, problem: errorMessage(error), fix: error instanceof UserError ? error.fix : undefined };
    }
  }

  private refresh<T extends object>(cache: Cached<T>, run: () => Promise<T>): Promise<T> | undefined {
    if (cache.pending) return cache.pending;
    const age = this.deps.clock.now() - cache.at;
    if (cache.value !== undefined && age < (cache.ok ? OK_TTL_MS : FAILED_TTL_MS)) return undefined;
    const pending = run()
      .then((value) => {
        cache.value = value;
        cache.at = this.deps.clock.now();
        cache.ok = isFine(value);
        return value;
      })
      .finally(() => {
        cache.pending = undefined;
      });
    cache.pending = pending;
    return pending;
  }

  private async checkHosting(key: KeyState): Promise<HostingState> {
    const { domain, transport } = this.deps;
    if (!domain) return { state: 'no_domain' };
    if (!key.ok) return { state: 'no_key' };
    const url = publicKeyUrl(domain);
    try {
      const response = await transport({ method: 'GET', url, headers: { accept: 'application/x-pem-file, text/plain, */*' }, timeoutMs: FETCH_TIMEOUT_MS });
      if (response.status !== 200) return { state: 'not_found', url, detail: `the server answered ${response.status}` };
      let served: string;
      try {
        served = publicKeyHex(response.text);
      } catch {
        return { state: 'mismatch', url, detail: 'the server answered, but not with a public key in PEM format' };
      }
      return served.toLowerCase() === key.hex.toLowerCase()
        ? { state: 'ok', url }
        : { state: 'mismatch', url, detail: "the key served there is not this installation's key" };
    } catch (error) {
      this.deps.log.debug('public key not reachable', { url, error: errorMessage(error) });
      return { state: 'unreachable', url, detail: errorMessage(error) };
    }
  }

  private async checkRegistration(key: KeyState): Promise<RegistrationState[]> {
    const { domain, oauth, regions, transport } = this.deps;
    if (!domain || !oauth || !key.ok) return [];
    return Promise.all(regions.map((baseUrl) => checkRegistration({ oauth, transport, baseUrl, domain, publicKeyHex: key.hex, timeoutMs: FETCH_TIMEOUT_MS })));
  }
}

function isFine(value: object): boolean {
  if (Array.isArray(value)) return value.every((entry: RegistrationState) => entry.state === 'registered');
  return (value as HostingState).state === 'ok';
}
