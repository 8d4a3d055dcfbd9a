/**
 * The names of the two domains a command goes to, by their wire numbers (Domain.VEHICLE_SECURITY
 * and Domain.INFOTAINMENT of the generated universal_message code; a test holds them equal). Kept
 * apart from vcp-enums.ts so that naming a domain (the session file, error messages) does not load
 * the generated protobuf code.
 */
const DOMAIN_NAMES: ReadonlyMap<number, string> = new Map([
  [2, 'vehicle_security'],
  [3, 'infotainment'],
]);

export function domainName(domain: number): string {
  return DOMAIN_NAMES.get(domain) ?? `domain ${domain}`;
}
