import { z } from 'zod';

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');

/**
 * Every number a working-time rule reads. A profile fills them all; a request may override any.
 * Hours are decimal hours. Numbers and their legal basis: shared/domain/bpa-and-working-time.md.
 */
export const RuleParametersSchema = z.object({
  /** Normal working hours within any 24 h (AML §10-4: 9; §10-5(1): 10; tariff: 12.5). */
  maxHoursPerDay: z.number().positive().max(24),
  /** Hours within any 7 consecutive days (aml 40; hard single-week ceiling in averaged profiles). */
  maxHoursPerWeek: z.number().positive().max(168),
  /** The weekly limit when the plan has night work (aml: 38). */
  maxHoursPerWeekWithNight: z.number().positive().max(168),
  /** Averaged weekly limit over `averagingWeeks` (48), or null when the profile does not average. */
  averageWeeklyHours: z.number().positive().max(168).nullable(),
  averagingWeeks: z.number().int().min(1).max(52),
  /** Continuous rest between two shifts (AML §10-8(1): 11 h). */
  minDailyRestHours: z.number().min(0).max(24),
  /** Continuous rest within every 7 days (AML §10-8(2): 35 h). */
  minWeeklyRestHours: z.number().min(0).max(168),
  /** `off-after-worked`: a worked Sunday/holiday is followed by one off (AML default);
   *  `averaged`: every other off on average over 26 weeks and one off at least every 4th week. */
  sundayRule: z.enum(['off-after-worked', 'averaged']),
  nightStart: clock,
  nightEnd: clock,
  /** AML §10-11: with regular night work, at most this many hours per 24 h. */
  maxHoursPerDayWithNight: z.number().positive().max(24),
  /** How `maxHoursPerDayWithNight` is read: `averaged` over every 4 weeks (the law, §10-11(3)), or
   *  `per-24h` in every 24 h around a night shift (stricter, for ordninger that want it). */
  nightWorkLimit: z.enum(['averaged', 'per-24h']),
  /** Full-time week that position percentages refer to (tariff 37.5; 35.5 with night work). */
  fullTimeWeekHours: z.number().positive().max(60),
  fullTimeWeekHoursWithNight: z.number().positive().max(60),
});

export type RuleParameters = z.infer<typeof RuleParametersSchema>;
export const RuleOverridesSchema = RuleParametersSchema.partial().strict();
export type RuleOverrides = z.infer<typeof RuleOverridesSchema>;
export const ProfileNameSchema = z.enum(['aml', 'aml-average', 'bpa-tariff']);
export type ProfileName = z.infer<typeof ProfileNameSchema>;
