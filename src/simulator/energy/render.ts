import { isoWithOffset } from '../util/time-zone.js';
import type { Vehicle } from '../vehicle/vehicle.js';
import { type EnergySite, POWERWALL_W, POWERWALL_WH } from './energy-site.js';
import type { Flows } from './flows.js';
import { touSettingsJson } from './tou.js';

/** The JSON of an energy site: products entry, live_status and site_info (power in W, energy in Wh). */

const round = (value: number, digits = 0): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

/**
 * Wall Connector state codes as the Teslemetry integration reads them: 1
 * charging, 2 not connected, 4 connected, 5 scheduled, 6 negotiating, 8 finished, 9 waiting for car.
 */
function wallConnectorState(vehicle: Vehicle | undefined): number {
  if (!vehicle) return 2;
  switch (vehicle.state.chargingState) {
    case 'Charging':
      return 1;
    case 'Starting':
      return 6;
    case 'Complete':
      return 8;
    case 'NoPower':
      return 9;
    case 'Stopped':
      return vehicle.state.scheduledPendingUntil !== null ? 5 : 4;
    case 'Disconnected':
      return 2;
  }
}

function resourceType(site: EnergySite): string {
  if (site.hasBattery) return 'battery';
  if (site.hasSolar) return 'solar';
  return 'wall_connector';
}

function productComponents(site: EnergySite): Record<string, unknown> {
  return {
    battery: site.hasBattery,
    ...(site.hasBattery ? { battery_type: 'ac_powerwall' } : {}),
    solar: site.hasSolar,
    ...(site.hasSolar ? { solar_type: 'pv_panel' } : {}),
    grid: true,
    load_meter: site.hasBattery || site.hasSolar,
    market_type: 'residential',
    wall_connectors: site.wallConnectors.map((wc) => ({ device_id: wc.deviceId, din: wc.din, is_active: true })),
  };
}

export function siteProduct(site: EnergySite, flows: Flows): Record<string, unknown> {
  const battery = site.hasBattery
    ? {
        energy_left: round(site.state.energyWh, 1),
        total_pack_energy: site.capacityWh,
        percentage_charged: round(site.percentage, 6),
        battery_type: 'ac_powerwall',
        backup_capable: true,
        battery_power: flows.battery,
        storm_mode_enabled: site.settings.stormModeEnabled,
      }
    : {};
  return {
    energy_site_id: Number(site.id),
    resource_type: resourceType(site),
    site_name: site.name,
    id: `STE20240501-${site.id.slice(-5).padStart(5, '0')}`,
    gateway_id: site.gatewayDin,
    asset_site_id: `a0b${site.id.padStart(16, '0').slice(-13)}`,
    warp_site_number: `STE20240501-${site.id.slice(-5).padStart(5, '0')}`,
    ...battery,
    powerwall_onboarding_settings_set: true,
    sync_grid_alert_enabled: true,
    breaker_alert_enabled: false,
    components: productComponents(site),
    features: { rate_plan_manager_no_pricing_constraint: true },
  };
}

export function liveStatus(site: EnergySite, flows: Flows, now: number, vehicleOn: (din: string) => Vehicle | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (site.hasSolar) out.solar_power = flows.solar;
  if (site.hasBattery) {
    out.energy_left = round(site.state.energyWh, 1);
    out.total_pack_energy = site.capacityWh;
    out.percentage_charged = round(site.percentage, 6);
    out.backup_capable = true;
    out.battery_power = flows.battery;
  }
  out.load_power = flows.load;
  out.grid_status = site.state.gridUp ? 'Active' : 'Inactive';
  out.grid_services_active = false;
  out.grid_power = flows.grid;
  out.grid_services_power = 0;
  out.generator_power = 0;
  if (site.hasBattery) {
    out.island_status = site.state.gridUp ? 'on_grid' : 'off_grid_unintentional';
    out.storm_mode_active = site.stormActive(now);
  }
  out.timestamp = isoWithOffset(now, site.timeZone);
  out.wall_connectors = site.wallConnectors.map((wc) => {
    const vehicle = vehicleOn(wc.din);
    return {
      din: wc.din,
      ...(vehicle ? { vin: vehicle.vin } : {}),
      wall_connector_state: wallConnectorState(vehicle),
      wall_connector_fault_state: 2,
      wall_connector_power: vehicle ? vehicle.wallConnectorPowerW(wc.din) : 0,
      ocpp_status: 1,
      powershare_session_state: 0,
    };
  });
  return out;
}

export function siteInfo(site: EnergySite, now: number): Record<string, unknown> {
  const s = site.settings;
  const battery = site.hasBattery
    ? {
        backup_reserve_percent: s.backupReserve,
        default_real_mode: s.mode,
        battery_count: site.batteryCount,
        nameplate_power: site.batteryCount * POWERWALL_W,
        nameplate_energy: site.batteryCount * POWERWALL_WH,
        vpp_backup_reserve_percent: s.backupReserve,
        off_grid_vehicle_charging_reserve_percent: s.offGridVehicleChargingReserve,
      }
    : {};
  return {
    id: `STE20240501-${site.id.slice(-5).padStart(5, '0')}`,
    site_name: site.name,
    ...battery,
    installation_date: site.installationDate,
    installation_time_zone: site.timeZone,
    max_site_meter_power_ac: 1_000_000_000,
    min_site_meter_power_ac: -1_000_000_000,
    version: '25.10.1 1c3c3de5',
    user_settings: {
      go_off_grid_test_banner_enabled: null,
      storm_mode_enabled: s.stormModeEnabled,
      powerwall_onboarding_settings_set: true,
      powerwall_tesla_electric_interested_in: null,
      vpp_tour_enabled: null,
      sync_grid_alert_enabled: true,
      breaker_alert_enabled: false,
      off_grid_vehicle_charging_enabled: s.offGridVehicleChargingReserve > 0,
    },
    components: {
      solar: site.hasSolar,
      ...(site.hasSolar ? { solar_type: 'pv_panel' } : {}),
      battery: site.hasBattery,
      grid: true,
      backup: site.hasBattery,
      gateway: 'teg',
      load_meter: site.hasBattery || site.hasSolar,
      tou_capable: site.hasBattery,
      storm_mode_capable: site.hasBattery,
      flex_energy_request_capable: false,
      car_charging_data_supported: false,
      off_grid_vehicle_charging_reserve_supported: site.hasBattery,
      vehicle_charging_performance_view_enabled: false,
      vehicle_charging_solar_offset_view_enabled: false,
      battery_solar_offset_view_enabled: site.hasBattery && site.hasSolar,
      solar_value_enabled: site.hasSolar,
      energy_value_header: 'Energy Value',
      energy_value_subheader: 'Estimated Value',
      energy_service_self_scheduling_enabled: true,
      show_grid_import_battery_source_cards: true,
      set_islanding_mode_enabled: site.hasBattery,
      wifi_commissioning_enabled: true,
      backup_time_remaining_enabled: site.hasBattery,
      ...(site.hasBattery ? { battery_type: 'ac_powerwall' } : {}),
      configurable: site.hasBattery,
      grid_services_enabled: false,
      gateways: [
        {
          device_id: `gw-${site.id}`,
          din: site.gatewayDin,
          serial_number: site.gatewayDin.split('--')[1] ?? site.gatewayDin,
          part_number: '1232100-00-E',
          part_type: 10,
          part_name: 'Tesla Backup Gateway 2',
          is_active: true,
          site_id: `site-${site.id}`,
          firmware_version: '25.10.1 1c3c3de5',
          updated_datetime: site.installationDate,
        },
      ],
      batteries: Array.from({ length: site.batteryCount }, (_, index) => ({
        device_id: `pw-${site.id}-${index}`,
        din: `2012170-25-E--TG1${site.id.slice(-9).padStart(9, '0')}${index}`,
        serial_number: `TG1${site.id.slice(-9).padStart(9, '0')}${index}`,
        part_number: '2012170-25-E',
        part_type: 2,
        part_name: 'Powerwall 2',
        nameplate_max_charge_power: POWERWALL_W,
        nameplate_max_discharge_power: POWERWALL_W,
        nameplate_energy: POWERWALL_WH,
      })),
      wall_connectors: site.wallConnectors.map((wc) => ({
        device_id: wc.deviceId,
        din: wc.din,
        part_number: wc.din.split('--')[0] ?? '1734412-02-E',
        part_type: 21,
        part_name: 'Gen 3 Wall Connector',
        is_active: true,
      })),
      ...(site.hasBattery && site.hasSolar
        ? {
            customer_preferred_export_rule: s.exportRule,
            disallow_charge_from_grid_with_solar_installed: s.disallowGridCharging,
          }
        : {}),
      net_meter_mode: 'battery_ok',
      system_alerts_enabled: true,
    },
    tou_settings: s.touSettings ?? touSettingsJson(),
    utility: 'Simulated Power & Light',
    timestamp: isoWithOffset(now, site.timeZone),
  };
}
