/** The kinds of device teslahub looks after, and how the rest of the daemon names one. */
export const DEVICE_KINDS = ['vehicle', 'energy_site', 'wall_connector'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/** A device as the bus names it: its kind and its id at Tesla (VIN, energy site id, DIN). */
export interface DeviceRef {
  kind: DeviceKind;
  id: string;
}

export function isDeviceKind(value: string | undefined): value is DeviceKind {
  return (DEVICE_KINDS as readonly string[]).includes(value ?? '');
}

/** A device named from outside as "<kind>.<topic id>" (bridge requests, the web page's forms). */
export type NamedDevice = { ok: true; kind: DeviceKind; topicId: string } | { ok: false; problem: string };

export function parseNamedDevice(text: string): NamedDevice {
  const dot = text.indexOf('.');
  const kind = text.slice(0, dot);
  const topicId = text.slice(dot + 1);
  if (dot < 0 || !isDeviceKind(kind) || topicId === '')
    return { ok: false, problem: `"${text}" is not "<kind>.<id>" with kind vehicle, energy_site or wall_connector` };
  return { ok: true, kind, topicId };
}
