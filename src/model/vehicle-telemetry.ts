import type { VehicleRow } from './vehicle-read.js';

/**
 * Fleet Telemetry's word on a car (only while telemetry is enabled): whether its values stream or
 * are polled, why, and since when. A car that falls back to polling says so here, with the cause.
 */
export const VEHICLE_TELEMETRY_ROWS: VehicleRow[] = [
  {
    platform: 'sensor',
    key: 'data_source',
    name: 'Data source',
    category: 'diagnostic',
    icon: 'mdi:access-point-network',
    deviceClass: 'enum',
    options: ['stream', 'poll'],
    present: (s) => s.stream !== undefined,
    value: (s) => s.stream?.mode ?? null,
    attributes: (s) =>
      s.stream && {
        reason: s.stream.reason,
        since: new Date(s.stream.since).toISOString(),
        link: s.stream.link,
        last_stream_at: s.stream.lastAt === undefined ? null : new Date(s.stream.lastAt).toISOString(),
        // The car's own time of its newest value (the built-in receiver keeps it; fleet-telemetry's MQTT drops it).
        ...(s.stream.carAt === undefined ? {} : { last_value_at: new Date(s.stream.carAt).toISOString() }),
        streamed_values: Object.keys(s.stream.at).length,
      },
  },
];
