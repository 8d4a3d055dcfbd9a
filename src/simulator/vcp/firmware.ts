import { Domain, type VcpDomain } from '../../signing/vcp-enums.js';

/** Firmware 2024.38 and later encrypt a signed command's reply when asked. */
export function firmwareEncryptsReplies(carVersion: string): boolean {
  const match = /^(\d{4})\.(\d+)/.exec(carVersion);
  if (!match) return true;
  const year = Number(match[1]);
  const week = Number(match[2]);
  return year > 2024 || (year === 2024 && week >= 38);
}

/** The names tests and scenarios use for a car's signing domains. */
export const SIGNING_DOMAINS: Record<'vehicle_security' | 'infotainment' | 'both', readonly VcpDomain[]> = {
  vehicle_security: [Domain.VEHICLE_SECURITY],
  infotainment: [Domain.INFOTAINMENT],
  both: [Domain.VEHICLE_SECURITY, Domain.INFOTAINMENT],
};
