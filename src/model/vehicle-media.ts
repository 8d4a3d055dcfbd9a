import { num, round } from './read.js';
import type { VehicleSource } from './sources.js';
import { act, COMMAND_SCOPES, field, mapped, textAt, type VehicleRow } from './vehicle-read.js';

/**
 * The car's media player, in pieces: Home Assistant has no MQTT media_player, so the state and now-playing facts are sensors, the transport keys are buttons and the
 * volume is a number (a universal media player can put them back together). Read from
 * vehicle_state.media_info.
 *
 * No source select: the Fleet API has no command that changes the audio source, so a select
 * would offer choices it cannot carry out. The source is a sensor.
 */

const PLAYBACK: ReadonlyMap<string, string> = new Map([
  ['Playing', 'playing'],
  ['Paused', 'paused'],
  ['Stopped', 'stopped'],
  ['Off', 'off'],
]);

/** The car's volume scale when it does not say: 0–11 in thirds. */
const DEFAULT_VOLUME_MAX = 11;
const DEFAULT_VOLUME_STEP = 1 / 3;

const info = (path: string): string => `vehicle_state.media_info.${path}`;

const seconds = (path: string) => (s: VehicleSource) => {
  const ms = num(field(s, info(path)));
  return ms === null ? null : round(ms / 1000, 0);
};

function volumeMax(s: VehicleSource): number {
  const max = num(field(s, info('audio_volume_max')));
  return max !== null && max > 0 ? max : DEFAULT_VOLUME_MAX;
}

/**
 * The slider's top, on its grid of thirds: the car says 10.333333, and a step check would not
 * count that as 31 thirds. Snapping in the command keeps what is sent within the car's own max.
 */
function sliderMax(s: VehicleSource): number {
  return Math.max(DEFAULT_VOLUME_STEP, Math.round(volumeMax(s) / DEFAULT_VOLUME_STEP) * DEFAULT_VOLUME_STEP);
}

/** The car moves in its own increments; a slider value is snapped to the nearest one it can take. */
function snapVolume(volume: number, s: VehicleSource): number {
  const increment = num(field(s, info('audio_volume_increment')));
  const step = increment !== null && increment > 0 ? increment : DEFAULT_VOLUME_STEP;
  const snapped = Math.round(volume / step) * step;
  return round(Math.min(volumeMax(s), Math.max(0, snapped)), 6) ?? 0;
}

function text(key: string, name: string, path: string): VehicleRow {
  return { platform: 'sensor', key, name, value: textAt(info(path)) };
}

export const VEHICLE_MEDIA_ROWS: VehicleRow[] = [
  {
    platform: 'sensor',
    key: 'media_state',
    name: 'Media state',
    deviceClass: 'enum',
    options: [...PLAYBACK.values()],
    value: (s) => mapped(PLAYBACK, field(s, info('media_playback_status'))),
  },
  text('media_title', 'Media title', 'now_playing_title'),
  text('media_artist', 'Media artist', 'now_playing_artist'),
  text('media_album', 'Media album', 'now_playing_album'),
  text('media_station', 'Media station', 'now_playing_station'),
  text('media_source', 'Media source', 'now_playing_source'),
  // Tesla reports milliseconds; seconds are what a media card shows.
  {
    platform: 'sensor',
    key: 'media_duration',
    name: 'Media duration',
    deviceClass: 'duration',
    unit: 's',
    precision: 0,
    value: seconds('now_playing_duration'),
  },
  {
    platform: 'sensor',
    key: 'media_position',
    name: 'Media position',
    deviceClass: 'duration',
    unit: 's',
    precision: 0,
    value: seconds('now_playing_elapsed'),
  },
  {
    platform: 'number',
    key: 'media_volume',
    name: 'Media volume',
    scopes: COMMAND_SCOPES,
    min: 0,
    max: sliderMax,
    step: DEFAULT_VOLUME_STEP,
    mode: 'slider',
    value: (s) => num(field(s, info('audio_volume'))),
    command: (volume, s) => act('adjust_volume', { volume: snapVolume(volume, s) }),
  },
  { platform: 'button', key: 'media_play_pause', name: 'Media play/pause', scopes: COMMAND_SCOPES, command: () => act('media_toggle_playback') },
  { platform: 'button', key: 'media_next_track', name: 'Media next track', scopes: COMMAND_SCOPES, command: () => act('media_next_track') },
  { platform: 'button', key: 'media_previous_track', name: 'Media previous track', scopes: COMMAND_SCOPES, command: () => act('media_prev_track') },
  { platform: 'button', key: 'media_next_favorite', name: 'Media next favorite', scopes: COMMAND_SCOPES, command: () => act('media_next_fav') },
  { platform: 'button', key: 'media_previous_favorite', name: 'Media previous favorite', scopes: COMMAND_SCOPES, command: () => act('media_prev_fav') },
];
