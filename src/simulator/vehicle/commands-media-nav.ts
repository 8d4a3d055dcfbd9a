import { offsetPoint } from '../util/geo.js';
import { textSeed } from '../util/random.js';
import { type CommandHandler, ok, refuse } from './command-types.js';
import { PLAYLIST, STATIONS, VOLUME_MAX } from './media.js';

/** Media, navigation and software-update commands. */

const VOLUME_STEP = 1 / 3;

export const MEDIA_NAV_COMMANDS: Record<string, CommandHandler> = {
  media_toggle_playback: (v) => {
    const m = v.state.media;
    m.status = m.status === 'Playing' ? 'Paused' : 'Playing';
    return ok();
  },
  media_next_track: (v) => {
    const m = v.state.media;
    m.track = (m.track + 1) % PLAYLIST.length;
    m.elapsedMs = 0;
    return ok();
  },
  media_prev_track: (v) => {
    const m = v.state.media;
    // Like a car stereo: a few seconds in, "previous" restarts the current track.
    if (m.elapsedMs < 5000) m.track = (m.track + PLAYLIST.length - 1) % PLAYLIST.length;
    m.elapsedMs = 0;
    return ok();
  },
  media_next_fav: (v) => {
    v.state.media.station = (v.state.media.station + 1) % STATIONS.length;
    return ok();
  },
  media_prev_fav: (v) => {
    v.state.media.station = (v.state.media.station + STATIONS.length - 1) % STATIONS.length;
    return ok();
  },
  media_volume_up: (v) => {
    v.state.media.volume = Math.min(VOLUME_MAX, v.state.media.volume + VOLUME_STEP);
    return ok();
  },
  media_volume_down: (v) => {
    v.state.media.volume = Math.max(0, v.state.media.volume - VOLUME_STEP);
    return ok();
  },
  adjust_volume: (v, p) => {
    v.state.media.volume = Math.min(VOLUME_MAX, p.number('volume', { min: 0, max: 11 }));
    return ok();
  },
  navigation_request: (v, p) => {
    const value = p.raw('value');
    const text =
      typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)['android.intent.extra.TEXT'] === 'string'
        ? String((value as Record<string, unknown>)['android.intent.extra.TEXT'])
        : typeof value === 'string'
          ? value
          : undefined;
    if (!text) return refuse('missing destination');
    // No geocoder here: a made-up place a few miles away, always the same for the same text.
    const seed = textSeed(text);
    const to = offsetPoint(v.state.location, 2 + (seed % 9), seed % 360);
    v.state.route = { destination: text, to };
    return ok();
  },
  navigation_gps_request: (v, p) => {
    const to = { lat: p.number('lat', { min: -90, max: 90 }), lon: p.number('lon', { min: -180, max: 180 }) };
    v.state.route = { destination: `${to.lat.toFixed(5)}, ${to.lon.toFixed(5)}`, to };
    return ok();
  },
  navigation_sc_request: (v, p) => {
    const id = p.optionalNumber('id') ?? 0;
    v.state.route = { destination: `Supercharger ${id}`, to: offsetPoint(v.state.location, 4, (id * 37) % 360) };
    return ok();
  },
  navigation_waypoints_request: (v, p) => {
    p.string('waypoints');
    v.state.route = { destination: 'Waypoints', to: offsetPoint(v.state.location, 6, 90) };
    return ok();
  },
  schedule_software_update: (v, p, { now }) => {
    const sw = v.state.software;
    if (sw.status !== 'available' && sw.status !== 'scheduled') return refuse('no software update available');
    sw.status = 'scheduled';
    sw.scheduledAt = now + Math.round(p.number('offset_sec', { min: 0 })) * 1000;
    return ok();
  },
  cancel_software_update: (v) => {
    const sw = v.state.software;
    if (sw.status !== 'scheduled') return refuse('no software update scheduled');
    sw.status = 'available';
    sw.scheduledAt = null;
    return ok();
  },
};
