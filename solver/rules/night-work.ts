import { isNightShift } from '../calendar.ts';
import { checkNightWork } from '../check/windows.ts';
import type { ModelContext } from '../model/context.ts';
import { DAY, countedAlone, nightLimit, peaks, windowRows } from '../model/windows.ts';
import type { Rule } from './rule.ts';

const isNight = (ctx: ModelContext, w: { start: number; end: number }) =>
  isNightShift(w.start, w.end, ctx.request.ordning.timezone, ctx.params.nightStart, ctx.params.nightEnd);

/** AML §10-11: with night work, at most 8 h within the 24 h around it (stricter than the 4-week average). */
export const nightWork: Rule = {
  name: 'night-work',
  title: 'Hours within 24 hours around night work',
  parameters: ['nightStart', 'nightEnd', 'maxHoursPerDayWithNight'],
  eligible: (_a, s, ctx) => !isNight(ctx, s) || countedAlone(s.hours, s.kind, nightLimit(ctx)),
  constrain(ctx) {
    for (const [a, items] of ctx.work)
      for (const n of items.filter((w) => isNight(ctx, w)))
        for (const [from, to] of peaks(items, DAY))
          if (n.start >= from && n.end <= to) windowRows(ctx, `night:${a}:${n.shiftId}:${from}`, items, from, to, nightLimit(ctx), n);
  },
  check: checkNightWork,
};
