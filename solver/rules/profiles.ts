import type { ProfileName, RuleOverrides, RuleParameters } from './parameters.ts';

const night = { nightStart: '21:00', nightEnd: '06:00', maxHoursPerDayWithNight: 8, nightWorkLimit: 'averaged' } as const;
const fullTime = { fullTimeWeekHours: 37.5, fullTimeWeekHoursWithNight: 35.5 } as const;
const rest = { minDailyRestHours: 11, minWeeklyRestHours: 35 } as const;

/** The three profiles of shared/domain/bpa-and-working-time.md ("Suggested rule profiles"). */
export const PROFILES: Record<ProfileName, RuleParameters> = {
  // AML defaults: 9 h per 24 h, 40 h per 7 days (38 h with night work), no averaging.
  aml: {
    maxHoursPerDay: 9, maxHoursPerWeek: 40, maxHoursPerWeekWithNight: 38,
    averageWeeklyHours: null, averagingWeeks: 8, sundayRule: 'off-after-worked',
    ...rest, ...night, ...fullTime,
  },
  // §10-5(1) written individual agreement: 10 h per 24 h, 48 h averaged over 8 weeks, 50 h ceiling.
  'aml-average': {
    maxHoursPerDay: 10, maxHoursPerWeek: 50, maxHoursPerWeekWithNight: 50,
    averageWeeklyHours: 48, averagingWeeks: 8, sundayRule: 'averaged',
    ...rest, ...night, ...fullTime,
  },
  // §10-5(2) with a BPA tariff agreement: 12.5 h per 24 h, 48 h averaged over 8 weeks, 54 h ceiling.
  'bpa-tariff': {
    maxHoursPerDay: 12.5, maxHoursPerWeek: 54, maxHoursPerWeekWithNight: 54,
    averageWeeklyHours: 48, averagingWeeks: 8, sundayRule: 'averaged',
    ...rest, ...night, ...fullTime,
  },
};

export function ruleParameters(profile: ProfileName, overrides: RuleOverrides = {}): RuleParameters {
  return { ...PROFILES[profile], ...overrides };
}
