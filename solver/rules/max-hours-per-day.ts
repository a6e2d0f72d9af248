import { checkMaxHoursPerDay } from '../check/windows.ts';
import { DAY, countedAlone, dayLimit, peaks, windowRows, within } from '../model/windows.ts';
import type { Rule } from './rule.ts';

/** AML §10-4: normal hours within any 24 hours. */
export const maxHoursPerDay: Rule = {
  name: 'max-hours-per-day',
  title: 'Working hours within any 24 hours',
  parameters: ['maxHoursPerDay'],
  eligible: (_a, s, ctx) => countedAlone(s.hours, s.kind, dayLimit(ctx)),
  constrain(ctx) {
    const limit = dayLimit(ctx);
    for (const [a, items] of ctx.work) {
      const elsewhere = items.filter((w) => w.limits);
      for (const from of peaks(items, DAY)) windowRows(ctx, `day:${a}`, items, from, from + DAY, within(limit, elsewhere, from, from + DAY, 'day'));
    }
  },
  check: checkMaxHoursPerDay,
};
