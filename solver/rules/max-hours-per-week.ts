import { checkMaxHoursPerWeek } from '../check/windows.ts';
import { worksShorterWeek } from '../model/indicators.ts';
import { WEEK, peaks, weekLimit, windowRows } from '../model/windows.ts';
import type { Rule } from './rule.ts';

/**
 * AML §10-4: hours within any 7 days; the lower limit (38 h in aml) for an assistant who works nights
 * or at least every third Sunday/holiday (§10-4(4)).
 */
export const maxHoursPerWeek: Rule = {
  name: 'max-hours-per-week',
  title: 'Working hours within any 7 days',
  parameters: ['maxHoursPerWeek', 'maxHoursPerWeekWithNight'],
  constrain(ctx) {
    for (const [a, items] of ctx.work) {
      const shorter = worksShorterWeek(ctx, a);
      const lower = typeof shorter === 'number' ? { v: shorter, limit: weekLimit(ctx, true) } : undefined;
      const limit = weekLimit(ctx, shorter === true);
      for (const from of peaks(items, WEEK)) windowRows(ctx, `week:${a}`, items, from, from + WEEK, limit, undefined, lower);
    }
  },
  check: checkMaxHoursPerWeek,
};
