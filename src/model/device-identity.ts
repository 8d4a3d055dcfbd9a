import type { DeviceKind } from '../core/devices.js';

/** A device as Home Assistant's device registry shows it (and the ids its entities hang off). */
export interface DeviceIdentity {
  kind: DeviceKind | 'bridge';
  /** Topic id: the VIN, site id or DIN, or the configured `topic`. */
  topicId: string;
  /** Stable hardware id for unique ids: the VIN, site id or DIN (never the topic override). */
  hardwareId: string;
  name: string;
  model?: string | undefined;
  manufacturer?: string;
  swVersion?: string | undefined;
  serialNumber?: string | undefined;
  /** Unique device id of the parent (a Wall Connector hangs off its site; devices off the bridge). */
  viaDevice?: string | undefined;
  configurationUrl?: string | undefined;
}

export function uniqueDeviceId(identity: Pick<DeviceIdentity, 'kind' | 'hardwareId'>): string {
  return identity.kind === 'bridge' ? 'teslahub_bridge' : `teslahub_${identity.hardwareId}`;
}
