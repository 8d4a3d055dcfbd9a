/**
 * The simulated utility tariff: off-peak 00:00–07:00, on-peak 16:00–21:00, partial-peak otherwise.
 * Autonomous (time-based) mode follows it; site_info reports it as tou_settings.
 */
export type TouPeriod = 'off_peak' | 'partial_peak' | 'on_peak';

export const TOU_HOURS = { offPeak: [0, 7], onPeak: [16, 21] } as const;

export function touPeriod(hour: number): TouPeriod {
  if (hour >= TOU_HOURS.offPeak[0] && hour < TOU_HOURS.offPeak[1]) return 'off_peak';
  if (hour >= TOU_HOURS.onPeak[0] && hour < TOU_HOURS.onPeak[1]) return 'on_peak';
  return 'partial_peak';
}

export function touSettingsJson(): Record<string, unknown> {
  const period = (target: TouPeriod, fromHour: number, toHour: number) => ({
    target,
    week_days: [1, 2, 3, 4, 5, 6, 0],
    start_seconds: fromHour * 3600,
    end_seconds: toHour * 3600,
  });
  return {
    optimization_strategy: 'economics',
    schedule: [period('off_peak', 0, 7), period('partial_peak', 7, 16), period('on_peak', 16, 21), period('partial_peak', 21, 24)],
  };
}
