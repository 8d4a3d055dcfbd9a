import { createPublicKey, generateKeyPairSync, type KeyObject, randomBytes, sign, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';

/**
 * A throwaway certificate authority for the simulated cars and for tests: P-256 keys and X.509 v3
 * certificates built with node's crypto (DER by hand, ECDSA-SHA256), so nothing needs openssl.
 * Certificates here are for loopback demos and tests only; keys live in memory or in the demo's
 * data folder, never in the repository.
 */

export interface Issued {
  cert: string;
  key: string;
  x509: X509Certificate;
  keyObject: KeyObject;
}

export interface CertificateRequest {
  commonName: string;
  /** DNS names and IP addresses (subjectAltName). */
  names?: readonly string[];
  ca?: boolean;
  usage?: 'server' | 'client';
  notBefore: number;
  notAfter: number;
}

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const tlv = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
};
const seq = (...content: Buffer[]): Buffer => tlv(0x30, ...content);
const set = (...content: Buffer[]): Buffer => tlv(0x31, ...content);

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const bytes = [40 * (parts[0] ?? 0) + (parts[1] ?? 0)];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [part & 0x7f];
    for (let rest = Math.floor(part / 128); rest > 0; rest = Math.floor(rest / 128)) chunk.unshift(0x80 | (rest & 0x7f));
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function integer(bytes: Buffer): Buffer {
  const trimmed = bytes[0] !== undefined && bytes[0] >= 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
  return tlv(0x02, trimmed);
}

function time(ms: number): Buffer {
  const iso = new Date(ms).toISOString();
  const compact = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  const year = Number(iso.slice(0, 4));
  // RFC 5280: UTCTime through 2049, GeneralizedTime after.
  return year < 2050 ? tlv(0x17, Buffer.from(compact.slice(2), 'ascii')) : tlv(0x18, Buffer.from(compact, 'ascii'));
}

const name = (commonName: string): Buffer => seq(set(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(commonName, 'utf8')))));
const extension = (id: string, critical: boolean, value: Buffer): Buffer =>
  seq(oid(id), ...(critical ? [tlv(0x01, Buffer.from([0xff]))] : []), tlv(0x04, value));

function altNames(names: readonly string[]): Buffer {
  return seq(
    ...names.map((entry) => {
      const family = isIP(entry);
      if (family === 4) return tlv(0x87, Buffer.from(entry.split('.').map(Number)));
      return tlv(0x82, Buffer.from(entry, 'ascii'));
    }),
  );
}

function extensions(request: CertificateRequest): Buffer {
  const list = [extension('2.5.29.19', true, seq(...(request.ca ? [tlv(0x01, Buffer.from([0xff]))] : [])))];
  // keyUsage: keyCertSign + cRLSign for a CA, digitalSignature for a leaf.
  list.push(extension('2.5.29.15', true, request.ca ? tlv(0x03, Buffer.from([0x01, 0x06])) : tlv(0x03, Buffer.from([0x07, 0x80]))));
  if (request.usage) list.push(extension('2.5.29.37', false, seq(oid(request.usage === 'server' ? '1.3.6.1.5.5.7.3.1' : '1.3.6.1.5.5.7.3.2'))));
  if (request.names && request.names.length > 0) list.push(extension('2.5.29.17', false, altNames(request.names)));
  return tlv(0xa3, seq(...list));
}

const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));

/** Issues a certificate for a new P-256 key, signed by `issuer` (or by itself when absent). */
export function issue(request: CertificateRequest, issuer?: Issued): Issued {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const tbs = seq(
    tlv(0xa0, integer(Buffer.from([2]))),
    integer(Buffer.concat([Buffer.from([0x10]), randomBytes(15)])),
    ECDSA_SHA256,
    issuer ? issuerName(issuer) : name(request.commonName),
    seq(time(request.notBefore), time(request.notAfter)),
    name(request.commonName),
    spki,
    extensions(request),
  );
  const signature = sign('sha256', tbs, issuer ? issuer.keyObject : privateKey);
  const der = seq(tbs, ECDSA_SHA256, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const cert = `-----BEGIN CERTIFICATE-----\n${der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
  const key = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { cert, key, x509: new X509Certificate(cert), keyObject: privateKey };
}

/** The issuer's subject exactly as encoded in its certificate (so chains match byte for byte). */
function issuerName(issuer: Issued): Buffer {
  return subjectOf(issuer.x509.raw);
}

/** Reads the subject Name out of a DER certificate: the sixth element of TBSCertificate. */
function subjectOf(der: Buffer): Buffer {
  const read = (at: number): { start: number; end: number; header: number } => {
    const first = der[at + 1] ?? 0;
    let size = first;
    let header = 2;
    if (first & 0x80) {
      const count = first & 0x7f;
      size = 0;
      for (let i = 0; i < count; i += 1) size = size * 256 + (der[at + 2 + i] ?? 0);
      header = 2 + count;
    }
    return { start: at, header, end: at + header + size };
  };
  const certificate = read(0);
  const tbs = read(certificate.start + certificate.header);
  let at = tbs.start + tbs.header;
  // version [0], serial, signature, issuer, validity, subject
  for (let index = 0; index < 5; index += 1) at = read(at).end;
  const subject = read(at);
  return der.subarray(subject.start, subject.end);
}

/** The public key of a certificate (for tests comparing keys). */
export function publicKeyOf(issued: Issued): KeyObject {
  return createPublicKey(issued.cert);
}

const DAY_MS = 86_400_000;

/**
 * A root CA, a server certificate for `serverNames` and a way to issue car certificates (CN = VIN).
 * Cars are issued by an intermediate named like one of Tesla's car-issuing CAs (`carIssuer`), since
 * the receiver accepts cars only from those; a car presents its certificate with that intermediate.
 */
export function testPki(
  now: number,
  serverNames: readonly string[],
  caName = 'teslahub test car CA',
  carIssuer = 'Tesla Issuing CA',
): {
  ca: Issued;
  server: Issued;
  car: (vin: string, validity?: { notBefore: number; notAfter: number }) => Issued;
} {
  const ca = issue({ commonName: caName, ca: true, notBefore: now - DAY_MS, notAfter: now + 3650 * DAY_MS });
  const carCa = issue({ commonName: carIssuer, ca: true, notBefore: now - DAY_MS, notAfter: now + 3650 * DAY_MS }, ca);
  const server = issue(
    { commonName: serverNames[0] ?? 'localhost', names: serverNames, usage: 'server', notBefore: now - DAY_MS, notAfter: now + 90 * DAY_MS },
    ca,
  );
  const car = (vin: string, validity = { notBefore: now - DAY_MS, notAfter: now + 365 * DAY_MS }): Issued => {
    const leaf = issue({ commonName: vin, usage: 'client', ...validity }, carCa);
    return { ...leaf, cert: leaf.cert + carCa.cert };
  };
  return { ca, server, car };
}
