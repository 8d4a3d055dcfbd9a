/** Made-up media library for the simulated head unit. */
export const PLAYLIST = [
  { title: 'Regenerative Braking', artist: 'The Kilowatts', album: 'Range Anxiety', durationMs: 214_000 },
  { title: 'Sentry at Midnight', artist: 'Phantom Drain', album: 'Vampire Loads', durationMs: 187_000 },
  { title: 'Over the Air', artist: 'Firmware', album: 'Release Notes', durationMs: 243_000 },
  { title: 'Supercharged', artist: 'The Kilowatts', album: 'Range Anxiety', durationMs: 198_000 },
] as const;

export const STATIONS = ['Simulated FM 101.1', 'Demo Radio', 'Static Jazz'] as const;

export const VOLUME_MAX = 10.333333;
