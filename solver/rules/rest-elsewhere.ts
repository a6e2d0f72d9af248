import type { ExternalBooking } from '../result.ts';
import { LAW_REST } from './legal-limits.ts';
import type { RuleParameters } from './parameters.ts';

/**
 * Rest protects a person, not an ordning: next to a pool member's booking in another ordning, the
 * rest owed is the stricter of what this plan and that ordning planned with, so one ordning's
 * weaker (tariff) override never shortens the rest another ordning's plan gave them. A booking that
 * does not say what it planned with is owed the law's rest (AML §10-8: 11 h, 35 h).
 */
export interface RestHours { daily: number; weekly: number }

/** The rest a booking's own ordning planned with, or the law's when it does not say. */
export const restOfBooking = (b: Pick<ExternalBooking, 'minDailyRestHours' | 'minWeeklyRestHours'>): RestHours => ({
  daily: b.minDailyRestHours ?? LAW_REST.minDailyRestHours,
  weekly: b.minWeeklyRestHours ?? LAW_REST.minWeeklyRestHours,
});

/** The rest owed next to work elsewhere: the stricter of this plan's parameters and that booking's. */
export const restNextTo = (params: RuleParameters, elsewhere: RestHours): RestHours => ({
  daily: Math.max(params.minDailyRestHours, elsewhere.daily),
  weekly: Math.max(params.minWeeklyRestHours, elsewhere.weekly),
});

/**
 * Hour limits protect a person too. A window of this plan that holds a booking elsewhere keeps the
 * stricter of this plan's limit and the one that booking's ordning planned with, since that
 * ordning's own check counts this plan's work in the same window. A booking that does not say adds
 * nothing stricter. (Limits averaged over weeks are this plan's own here; the pool check reads them
 * as each other ordning's own check will: solver/pool-check.ts.)
 */
export interface HourLimits { day?: number; week?: number; weekWithNight?: number }

export const limitsOfBooking = (b: Pick<ExternalBooking, 'maxHoursPerDay' | 'maxHoursPerWeek' | 'maxHoursPerWeekWithNight'>): HourLimits | undefined =>
  b.maxHoursPerDay === undefined && b.maxHoursPerWeek === undefined && b.maxHoursPerWeekWithNight === undefined
    ? undefined
    : { day: b.maxHoursPerDay, week: b.maxHoursPerWeek, weekWithNight: b.maxHoursPerWeekWithNight };

/** The stricter of `own` and the limits of the work elsewhere in [from, to). */
export function limitIn(items: readonly { start: number; end: number; limits?: HourLimits }[], from: number, to: number, which: keyof HourLimits, own: number): number {
  let limit = own;
  for (const w of items) {
    const theirs = w.limits?.[which];
    if (theirs !== undefined && theirs < limit && w.end > from && w.start < to) limit = theirs;
  }
  return limit;
}

/** How the checker and the model name work elsewhere: `ordning/shift`, never a shift id of this plan (ids have no `/`). */
export const elsewhereId = (b: Pick<ExternalBooking, 'ordningId' | 'shiftId'>): string => `${b.ordningId}/${b.shiftId}`;
export const isElsewhere = (shiftId: string): boolean => shiftId.includes('/');
