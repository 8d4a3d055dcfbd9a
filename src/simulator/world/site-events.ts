import type { EnergySite } from '../energy/energy-site.js';
import type { SiteEvent } from '../scenario/events-schema.js';
import type { SitePatch } from '../scenario/fields.js';

export function applySiteEvent(site: EnergySite, event: SiteEvent, now: number): void {
  switch (event.type) {
    case 'grid_outage':
      site.startOutage(now, event.duration === undefined ? undefined : event.duration * 1000);
      break;
    case 'grid_restore':
      site.restoreGrid(now);
      break;
    case 'storm_watch':
      site.state.stormWatchUntil = now + event.duration * 1000;
      break;
    case 'site_set':
      applySitePatch(site, event.values, now);
      break;
  }
}

export function applySitePatch(site: EnergySite, patch: SitePatch, now: number): void {
  const s = site.settings;
  if (patch.batteryLevel !== undefined) site.state.energyWh = (site.capacityWh * patch.batteryLevel) / 100;
  if (patch.backupReserve !== undefined) s.backupReserve = patch.backupReserve;
  if (patch.mode !== undefined) s.mode = patch.mode;
  if (patch.exportRule !== undefined) s.exportRule = patch.exportRule;
  if (patch.disallowGridCharging !== undefined) s.disallowGridCharging = patch.disallowGridCharging;
  if (patch.stormModeEnabled !== undefined) s.stormModeEnabled = patch.stormModeEnabled;
  if (patch.offGridVehicleChargingReserve !== undefined) s.offGridVehicleChargingReserve = patch.offGridVehicleChargingReserve;
  if (patch.solarFactor !== undefined) site.state.solarFactor = patch.solarFactor;
  if (patch.stormWatch !== undefined) site.state.stormWatchUntil = patch.stormWatch ? Infinity : null;
  if (patch.gridUp === false) site.startOutage(now, undefined);
  else if (patch.gridUp === true) site.restoreGrid(now);
}
