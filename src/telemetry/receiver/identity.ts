import { vinFromCommonName } from './limits.js';

/**
 * Who a verified client certificate belongs to, by the rules Tesla's own Fleet Telemetry server
 * applies (docs/telemetry-wire.md, "The car's certificate"): the issuer's CN must be one of Tesla's
 * device-issuing CAs; for the product-issuing CAs the device type is read from an extended key
 * usage OID (and the subject OU for wall connectors and solar inverters); the device id is the
 * subject CN with "." turned into "-". teslahub accepts only cars (`vehicle_device`).
 */

/** Issuers whose certificates are cars without further checks (the board's own SN certificates aside). */
const DIRECT_ISSUERS: ReadonlyMap<string, DeviceType> = new Map([
  ['TeslaMotors', 'vehicle_device'],
  ['Tesla Issuing CA', 'vehicle_device'],
  ['Tesla Motors Products CA', 'vehicle_device'],
]);

/** Issuers whose device type is named by an extended key usage OID of the certificate. */
const OID_ISSUERS: ReadonlySet<string> = new Set([
  'Tesla Motors Product Issuing CA',
  'Tesla Motors Product RSA Issuing CA',
  'Tesla Motors GF3 Product Issuing CA',
  'Tesla Motors GF3 Product RSA Issuing CA',
  'Tesla Energy Product Issuing CA',
  'Tesla Energy GF0 Product Issuing CA',
  'Tesla Motors GF0 Product Issuing CA',
  'Tesla Motors GF Austin Product Issuing CA',
  'Tesla Motors GF Berlin Product Issuing CA',
  'Tesla Product Access Issuing CA',
  'Tesla China Product Access Issuing CA',
  'Tesla GF0 Product Access Issuing CA',
  'Tesla GF3 Product Access Issuing CA',
  'Tesla GF Austin Product Access Issuing CA',
  'Tesla GF Berlin Product Access Issuing CA',
]);

export type DeviceType =
  | 'vehicle_device'
  | 'vehicle_board_device'
  | 'energy_device'
  | 'das_device'
  | 'vehicle_service'
  | 'das_service'
  | 'energy_service'
  | 'robotics_device'
  | 'solar_inverter_device'
  | 'wall_connector_device';

const TESLA_ARC = '1.3.6.1.4.1.49279.2';
/** The last arcs under 49279.2.4 (engineering) and 49279.2.5 (production). */
const OID_TYPES: ReadonlyMap<string, DeviceType> = new Map([
  ['1', 'vehicle_device'],
  ['11', 'vehicle_board_device'],
  ['2', 'energy_device'],
  ['12', 'das_device'],
  ['14', 'vehicle_service'],
  ['15', 'das_service'],
  ['16', 'energy_service'],
  ['28', 'robotics_device'],
]);
/** A car's Wi-Fi (EAP) certificate: never an identity. */
const EXCLUDED_OIDS: ReadonlySet<string> = new Set([`${TESLA_ARC}.5.1.1`]);
const OU_TYPES: ReadonlyMap<string, DeviceType> = new Map([
  ['Solar Inverter', 'solar_inverter_device'],
  ['Gen3 Wall Connector', 'wall_connector_device'],
]);

/** The parts of node's getPeerCertificate() that are read (values are untrusted shapes). */
export interface PeerFacts {
  subject?: unknown;
  issuer?: unknown;
  ext_key_usage?: unknown;
}

export type IdentityRefusal = 'unknown_issuer' | 'not_a_vehicle';

export type Identity = { ok: true; vin: string; deviceType: 'vehicle_device' } | { ok: false; cause: IdentityRefusal; detail: string };

/** The car a certificate (already verified against client_ca) identifies, or why it is not one. */
export function carIdentity(peer: PeerFacts): Identity {
  const issuer = firstString(field(peer.issuer, 'CN'));
  if (issuer === undefined) return { ok: false, cause: 'unknown_issuer', detail: 'the issuer has no CN' };
  const type = deviceType(issuer, peer);
  if (type === 'unknown_issuer') return { ok: false, cause: 'unknown_issuer', detail: `issuer "${issuer.slice(0, 80)}"` };
  if (type !== 'vehicle_device') return { ok: false, cause: 'not_a_vehicle', detail: type === 'excluded' ? 'a Wi-Fi (EAP) certificate' : type };
  const vin = vinFromCommonName(firstString(field(peer.subject, 'CN')));
  if (vin === undefined) return { ok: false, cause: 'not_a_vehicle', detail: 'the subject CN is not a VIN' };
  return { ok: true, vin, deviceType: type };
}

function deviceType(issuer: string, peer: PeerFacts): DeviceType | 'unknown_issuer' | 'excluded' {
  const units = strings(field(peer.subject, 'OU'));
  if (OID_ISSUERS.has(issuer)) return typeFromOids(strings(peer.ext_key_usage), units);
  const direct = DIRECT_ISSUERS.get(issuer);
  if (direct === undefined) return 'unknown_issuer';
  if (issuer === 'Tesla Motors Products CA' && units[0] === 'Tesla Motors SN') return 'vehicle_board_device';
  return direct;
}

function typeFromOids(oids: readonly string[], units: readonly string[]): DeviceType | 'unknown_issuer' | 'excluded' {
  for (const oid of oids) {
    if (EXCLUDED_OIDS.has(oid)) return 'excluded';
    const type = oidType(oid);
    if (type === undefined) continue;
    const byUnit = units.map((unit) => OU_TYPES.get(unit)).find((found) => found !== undefined);
    return byUnit ?? type;
  }
  // A product-issuing CA without a device OID: Tesla's server refuses it as unauthorized.
  return 'unknown_issuer';
}

function oidType(oid: string): DeviceType | undefined {
  for (const branch of ['4', '5']) {
    const prefix = `${TESLA_ARC}.${branch}.`;
    if (oid.startsWith(prefix)) return OID_TYPES.get(oid.slice(prefix.length));
  }
  return undefined;
}

function field(value: unknown, key: string): unknown {
  if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
  return (value as Record<string, unknown>)[key];
}

/** Node gives one value as a string and repeated ones as an array. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((entry): entry is string => typeof entry === 'string').slice(0, 32);
  return [];
}

function firstString(value: unknown): string | undefined {
  return strings(value)[0];
}
