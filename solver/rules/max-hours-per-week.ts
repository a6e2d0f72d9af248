import { checkMaxHoursPerWeek } from '../check/windows.ts';
import { worksShorterWeek } from '../model/indicators.ts';
import { WEEK, peaks, weekLimit, windowRows, within } from '../model/windows.ts';
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
      const which = shorter === true ? 'weekWithNight' : 'week';
      const elsewhere = items.filter((w) => w.limits);
      for (const from of peaks(items, WEEK)) {
        const to = from + WEEK;
        windowRows(ctx, `week:${a}`, items, from, to, within(limit, elsewhere, from, to, which), undefined, lower && { ...lower, limit: within(lower.limit, elsewhere, from, to, 'weekWithNight') });
      }
    }
  },
  check: checkMaxHoursPerWeek,
};
