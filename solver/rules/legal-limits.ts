import type { ProfileName, RuleOverrides, RuleParameters } from './parameters.ts';
import { PROFILES } from './profiles.ts';

/**
 * How far a request's overrides may go under each profile (shared/domain/bpa-and-working-time.md).
 * An override may always be stricter; it may be weaker only down to the floor the profile's legal
 * basis allows: AML alone (`aml`, `aml-average`) allows no daily rest under 11 h nor weekly rest
 * under 35 h; a BPA tariff agreement (`bpa-tariff`) allows 8 h and 28 h as explicit overrides.
 * Hours are capped at the profile's own legal maxima, which are its defaults.
 */
interface Limits {
  /** Rest floors: an override below answers 400. */
  floors: Pick<RuleParameters, 'minDailyRestHours' | 'minWeeklyRestHours'>;
  /** Hour ceilings: an override above answers 400. */
  ceilings: Pick<RuleParameters, 'maxHoursPerDay' | 'maxHoursPerWeek' | 'maxHoursPerWeekWithNight' | 'maxHoursPerDayWithNight'> & { averageWeeklyHours: number };
  /** Whether the profile rests on averaging (§10-5): then the average may be lowered, never switched off. */
  averages: boolean;
  sundayRules: RuleParameters['sundayRule'][];
}

/** AML §10-8 without any agreement: the rest every person is owed where nothing weaker is agreed. */
export const LAW_REST = { minDailyRestHours: 11, minWeeklyRestHours: 35 } as const;

const hourCeilings = (p: ProfileName) => ({
  maxHoursPerDay: PROFILES[p].maxHoursPerDay,
  maxHoursPerWeek: PROFILES[p].maxHoursPerWeek,
  maxHoursPerWeekWithNight: PROFILES[p].maxHoursPerWeekWithNight,
  maxHoursPerDayWithNight: 8, // AML §10-11: 8 h per 24 h with regular night work, in every profile
  averageWeeklyHours: 48, // AML §10-6(8) and §10-5: 48 h averaged is the outer limit of every profile
});

export const LEGAL_LIMITS: Record<ProfileName, Limits> = {
  aml: { floors: LAW_REST, ceilings: hourCeilings('aml'), averages: false, sundayRules: ['off-after-worked'] },
  'aml-average': { floors: LAW_REST, ceilings: hourCeilings('aml-average'), averages: true, sundayRules: ['off-after-worked', 'averaged'] },
  'bpa-tariff': { floors: { minDailyRestHours: 8, minWeeklyRestHours: 28 }, ceilings: hourCeilings('bpa-tariff'), averages: true, sundayRules: ['off-after-worked', 'averaged'] },
};

export interface OverrideProblem { field: keyof RuleParameters; message: string }

/** Every override the profile's legal basis does not allow, by field. */
export function overrideProblems(profile: ProfileName, overrides: RuleOverrides): OverrideProblem[] {
  const limits = LEGAL_LIMITS[profile];
  const out: OverrideProblem[] = [];
  for (const [field, floor] of Object.entries(limits.floors) as [keyof Limits['floors'], number][]) {
    const value = overrides[field];
    if (value !== undefined && value < floor) out.push({ field, message: `at least ${floor} h under the ${profile} profile (the law allows no less)` });
  }
  for (const [field, ceiling] of Object.entries(limits.ceilings) as [keyof Limits['ceilings'], number][]) {
    const value = overrides[field];
    if (value !== undefined && value !== null && value > ceiling) out.push({ field, message: `at most ${ceiling} h under the ${profile} profile (the law allows no more)` });
  }
  if (limits.averages && overrides.averageWeeklyHours === null)
    out.push({ field: 'averageWeeklyHours', message: `the ${profile} profile rests on averaging: lower the average, do not switch it off` });
  if (overrides.sundayRule !== undefined && !limits.sundayRules.includes(overrides.sundayRule))
    out.push({ field: 'sundayRule', message: `the ${profile} profile allows only ${limits.sundayRules.join(' or ')} (averaged Sundays need a §10-5 agreement: aml-average or bpa-tariff)` });
  return out;
}

export interface AppliedOverride { parameter: keyof RuleParameters; value: RuleParameters[keyof RuleParameters]; profileValue: RuleParameters[keyof RuleParameters] }

/** The overrides that changed a parameter of the profile: what the compliance report names. */
export function appliedOverrides(profile: ProfileName, overrides: RuleOverrides): AppliedOverride[] {
  return (Object.entries(overrides) as [keyof RuleParameters, RuleParameters[keyof RuleParameters]][])
    .filter(([parameter, value]) => value !== undefined && value !== PROFILES[profile][parameter])
    .map(([parameter, value]) => ({ parameter, value, profileValue: PROFILES[profile][parameter] }));
}
