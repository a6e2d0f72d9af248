import { checkMaxHoursPerWeek } from '../check/windows.ts';
import { WEEK, peaks, weekLimit, windowRows } from '../model/windows.ts';
import type { Rule } from './rule.ts';

/** AML §10-4 and §10-5: hours within any 7 days (38 h where the plan has night work). */
export const maxHoursPerWeek: Rule = {
  name: 'max-hours-per-week',
  title: 'Working hours within any 7 days',
  parameters: ['maxHoursPerWeek', 'maxHoursPerWeekWithNight'],
  constrain(ctx) {
    for (const [a, items] of ctx.work)
      for (const [from, to] of peaks(items, WEEK)) windowRows(ctx, `week:${a}:${from}`, items, from, to, weekLimit(ctx));
  },
  check: checkMaxHoursPerWeek,
};
