import { distanceMiles, type LatLon } from '../util/geo.js';
import { hasSeatCooling } from './commands-climate.js';
import { PLAYLIST, STATIONS, VOLUME_MAX } from './media.js';
import { softwareProgress } from './software.js';
import type { Vehicle } from './vehicle.js';

/** drive_state, vehicle_state, vehicle_config and gui_settings of vehicle_data. */

const round = (value: number, digits = 0): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

/** A parked car's route estimate: roads are longer than the straight line, town speed about 30 mph. */
const ROAD_FACTOR = 1.25;
const TOWN_MPH = 30;

interface ActiveRoute {
  destination: string;
  to: LatLon;
  miles: number;
  minutes: number;
}

function activeRoute(v: Vehicle, now: number): ActiveRoute | undefined {
  const s = v.state;
  if (s.trip) {
    const left = Math.max(0, (s.trip.endAt - now) / (s.trip.endAt - s.trip.startAt));
    return { destination: s.trip.name, to: s.trip.to, miles: s.trip.miles * left, minutes: (s.trip.endAt - now) / 60_000 };
  }
  if (s.route) {
    const miles = distanceMiles(s.location, s.route.to) * ROAD_FACTOR;
    return { destination: s.route.destination, to: s.route.to, miles, minutes: (miles / TOWN_MPH) * 60 };
  }
  return undefined;
}

export function driveState(v: Vehicle, now: number, withLocation: boolean): Record<string, unknown> {
  const s = v.state;
  const out: Record<string, unknown> = {};
  const route = activeRoute(v, now);
  if (route) {
    const arrivalLevel = v.levelPercent - ((route.miles * v.whPerMile) / 1000 / v.capacityKwh) * 100;
    out.active_route_destination = route.destination;
    out.active_route_energy_at_arrival = round(Math.max(0, arrivalLevel), 1);
    out.active_route_miles_to_arrival = round(route.miles, 2);
    out.active_route_minutes_to_arrival = round(route.minutes, 2);
    out.active_route_traffic_minutes_delay = 0;
    if (withLocation) {
      out.active_route_latitude = round(route.to.lat, 6);
      out.active_route_longitude = round(route.to.lon, 6);
    }
  }
  if (withLocation) {
    out.gps_as_of = Math.floor(now / 1000);
    out.heading = s.heading;
    out.latitude = round(s.location.lat, 6);
    out.longitude = round(s.location.lon, 6);
    out.native_latitude = round(s.location.lat, 6);
    out.native_location_supported = 1;
    out.native_longitude = round(s.location.lon, 6);
    out.native_type = 'wgs';
  }
  // While charging, Tesla reports the battery's intake as negative power.
  out.power = s.trip ? s.drivePowerKw : -Math.round(v.chargePowerKw);
  out.shift_state = s.trip ? 'D' : null;
  out.speed = s.trip ? s.speed : null;
  out.timestamp = now;
  return out;
}

const BASE_PRESSURE_BAR = { fl: 2.9, fr: 2.925, rl: 2.95, rr: 2.975 } as const;

export function vehicleState(v: Vehicle, now: number): Record<string, unknown> {
  const s = v.state;
  const present = s.userPresentUntil !== null && now < s.userPresentUntil;
  const warm = s.trip ? 0.1 : 0;
  const tpms: Record<string, unknown> = {};
  for (const [wheel, base] of Object.entries(BASE_PRESSURE_BAR)) {
    tpms[`tpms_hard_warning_${wheel}`] = false;
    tpms[`tpms_last_seen_pressure_time_${wheel}`] = Math.floor(now / 1000) - 60;
    tpms[`tpms_pressure_${wheel}`] = round(base + (s.outsideTemp - 15) * 0.01 + warm, 3);
    tpms[`tpms_soft_warning_${wheel}`] = false;
  }
  const track = PLAYLIST[s.media.track] ?? PLAYLIST[0];
  const bit = (open: boolean): number => (open ? 1 : 0);
  const sunRoof = v.spec.sunRoof
    ? { sun_roof_percent_open: s.sunRoofPercent, sun_roof_state: s.sunRoofPercent === 0 ? 'closed' : s.sunRoofPercent < 50 ? 'vent' : 'open' }
    : {};
  return {
    api_version: 81,
    autopark_state_v3: 'ready',
    calendar_supported: true,
    car_version: s.carVersion,
    center_display_state: s.awake && present ? 2 : 0,
    dashcam_clip_save_available: true,
    dashcam_state: s.sentry || s.trip ? 'Recording' : 'Unavailable',
    df: bit(s.doors.df),
    dr: bit(s.doors.dr),
    fd_window: bit(s.windows.fd),
    fleet_telemetry_version: '1.1.0',
    fp_window: bit(s.windows.fp),
    ft: bit(s.doors.ft),
    homelink_device_count: 1,
    homelink_nearby: distanceMiles(s.location, s.home) < 0.3,
    is_user_present: present,
    locked: s.locked,
    media_info: {
      a2dp_source_name: 'Phone',
      audio_volume: round(s.media.volume, 6),
      audio_volume_increment: 0.333333,
      audio_volume_max: VOLUME_MAX,
      media_playback_status: s.media.status,
      now_playing_album: s.media.status === 'Stopped' ? '' : (track?.album ?? ''),
      now_playing_artist: s.media.status === 'Stopped' ? '' : (track?.artist ?? ''),
      now_playing_duration: track?.durationMs ?? 0,
      now_playing_elapsed: track ? s.media.elapsedMs % track.durationMs : 0,
      now_playing_source: 'Spotify',
      now_playing_station: STATIONS[s.media.station] ?? '',
      now_playing_title: s.media.status === 'Stopped' ? '' : (track?.title ?? ''),
    },
    media_state: { remote_control_enabled: true },
    notifications_supported: true,
    odometer: round(s.odometer, 6),
    parsed_calendar_supported: true,
    pf: bit(s.doors.pf),
    pr: bit(s.doors.pr),
    remote_start: s.remoteStartUntil !== null && now < s.remoteStartUntil,
    remote_start_enabled: true,
    remote_start_supported: true,
    rp_window: bit(s.windows.rp),
    rd_window: bit(s.windows.rd),
    rt: bit(s.doors.rt),
    santa_mode: 0,
    sentry_mode: s.sentry,
    sentry_mode_available: true,
    service_mode: false,
    service_mode_plus: false,
    software_update: {
      download_perc: s.software.status === 'downloading' ? softwareProgress(v, now) : s.software.status === '' ? 0 : 100,
      expected_duration_sec: 1500,
      install_perc: s.software.status === 'installing' ? softwareProgress(v, now) : 1,
      ...(s.software.scheduledAt !== null ? { scheduled_time_ms: s.software.scheduledAt } : {}),
      status: s.software.status,
      version: s.software.version === '' ? ' ' : s.software.version,
    },
    speed_limit_mode: {
      active: s.speedLimit.active,
      current_limit_mph: s.speedLimit.limitMph,
      max_limit_mph: 120,
      min_limit_mph: 50,
      pin_code_set: s.speedLimit.pinSet,
    },
    ...sunRoof,
    timestamp: now,
    ...tpms,
    tpms_rcp_front_value: 2.9,
    tpms_rcp_rear_value: 2.9,
    valet_mode: s.valet,
    valet_pin_needed: false,
    vehicle_name: s.displayName,
    vehicle_self_test_progress: 0,
    vehicle_self_test_requested: false,
    webcam_available: true,
  };
}

export function vehicleConfig(v: Vehicle, now: number, utcOffsetSeconds: number): Record<string, unknown> {
  return {
    aux_park_lamps: v.region === 'eu' ? 'Eu' : 'NaPremium',
    badge_version: 0,
    can_accept_navigation_requests: true,
    can_actuate_trunks: true,
    car_special_type: 'base',
    car_type: v.spec.carType,
    charge_port_type: v.region === 'eu' ? 'CCS' : v.region === 'cn' ? 'GB' : 'US',
    cop_user_set_temp_supported: true,
    dashcam_clip_save_supported: true,
    default_charge_to_max: false,
    driver_assist: 'TeslaAP3',
    ece_restrictions: v.region === 'eu',
    efficiency_package: 'Default',
    eu_vehicle: v.region === 'eu',
    exterior_color: v.color,
    exterior_trim: 'Black',
    exterior_trim_override: '',
    has_air_suspension: v.spec.hasAirSuspension,
    has_ludicrous_mode: false,
    has_seat_cooling: hasSeatCooling(v.model),
    headlamp_type: 'Premium',
    interior_trim_type: 'Black2',
    key_version: 2,
    motorized_charge_port: true,
    paint_color_override: '',
    performance_package: 'Base',
    plg: true,
    pws: true,
    rear_drive_unit: 'PM216MOSFET',
    rear_seat_heaters: 1,
    rear_seat_type: 0,
    rhd: false,
    roof_color: 'RoofColorGlass',
    seat_type: null,
    spoiler_type: 'None',
    sun_roof_installed: v.spec.sunRoof ? 2 : null,
    supports_qr_pairing: false,
    third_row_seats: v.spec.thirdRowSeats,
    timestamp: now,
    trim_badging: v.spec.trimBadging,
    use_range_badging: true,
    utc_offset: utcOffsetSeconds,
    webcam_selfie_supported: true,
    webcam_supported: true,
    wheel_type: 'Pinwheel18CapKit',
  };
}

export function guiSettings(v: Vehicle, now: number): Record<string, unknown> {
  const imperial = v.region === 'na';
  return {
    gui_24_hour_time: !imperial,
    gui_charge_rate_units: imperial ? 'mi/hr' : 'kW',
    gui_distance_units: imperial ? 'mi/hr' : 'km/hr',
    gui_range_display: 'Rated',
    gui_temperature_units: imperial ? 'F' : 'C',
    gui_tirepressure_units: imperial ? 'Psi' : 'Bar',
    show_range_units: false,
    timestamp: now,
  };
}
