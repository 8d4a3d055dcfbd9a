import { certificatesOf } from './tls-files.js';

/** What the streaming card says about the receiver's certificate. */
export interface CertificateFacts {
  /** The names the server certificate is valid for (its DNS subjectAltNames, else its CN). */
  names: string[];
  /** ms since the epoch. */
  validTo: number;
  expired: boolean;
  daysLeft: number;
  /** The certificate is valid for telemetry.hostname. */
  coversHostname: boolean;
  /** The file holds the leaf and the certificates that issued it, each issued by the next. */
  chainComplete: boolean;
  /** The issuers in the file, leaf's first. */
  issuers: string[];
}

const DAY_MS = 86_400_000;

/** Checks a full-chain PEM against the host name the cars dial. Undefined when it holds no certificate. */
export function certificateFacts(pem: string, hostname: string | undefined, now: number): CertificateFacts | undefined {
  const chain = certificatesOf(pem);
  const leaf = chain[0];
  if (!leaf) return undefined;
  const dns = (leaf.subjectAltName ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.startsWith('DNS:'))
    .map((entry) => entry.slice(4));
  const cn = /(?:^|\n)CN=([^\n]+)/.exec(leaf.subject)?.[1];
  const validTo = Date.parse(leaf.validTo);
  const linked = chain.length > 1 && chain.every((cert, index) => index === chain.length - 1 || cert.checkIssued(chain[index + 1] as typeof cert));
  return {
    names: dns.length > 0 ? dns : cn ? [cn] : [],
    validTo,
    expired: validTo <= now,
    daysLeft: Math.floor((validTo - now) / DAY_MS),
    coversHostname: hostname !== undefined && leaf.checkHost(hostname) !== undefined,
    chainComplete: linked,
    issuers: chain.slice(1).map((cert) => /(?:^|\n)CN=([^\n]+)/.exec(cert.subject)?.[1] ?? cert.subject),
  };
}
