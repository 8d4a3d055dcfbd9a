/**
 * Connects a Tesla account the way a browser does: GET the daemon's /auth/login, follow the
 * redirect to the (simulated) Tesla authorize page, which approves at once and redirects to the
 * daemon's callback, and stop at the daemon's final redirect. Returns every hop for assertions.
 */
export async function connectAccount(daemonBaseUrl: string): Promise<{ hops: URL[]; final: Response }> {
  const hops: URL[] = [];
  let url = new URL('/auth/login', daemonBaseUrl);
  for (let i = 0; i < 10; i++) {
    hops.push(url);
    const response = await fetch(url, { redirect: 'manual' });
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) return { hops, final: response };
    const next = new URL(location, url);
    // The daemon's own page after the callback: the login is complete.
    if (next.origin === new URL(daemonBaseUrl).origin && next.pathname === '/') {
      hops.push(next);
      return { hops, final: await fetch(next) };
    }
    url = next;
  }
  throw new Error(`too many redirects: ${hops.map(String).join(' -> ')}`);
}

/** Fails with the offending line when any of `secrets` appears in `output`. */
export function findSecrets(output: string, secrets: Iterable<string>): string[] {
  const leaks: string[] = [];
  for (const secret of secrets) {
    if (secret.length < 8) continue;
    const index = output.indexOf(secret);
    if (index >= 0) leaks.push(`${secret.slice(0, 6)}… in: ${output.slice(Math.max(0, index - 80), index + 20).replace(/\n/g, ' ')}`);
  }
  return leaks;
}
