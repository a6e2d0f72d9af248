import { calendarWeeks } from '../calendar.ts';
import { checkAverageWeeklyHours } from '../check/weekly.ts';
import { limitRow, overlapHours } from '../model/context.ts';
import type { Rule } from './rule.ts';

/** §10-5: averaged weekly hours over each run of averaging weeks (counted hours, passive at half). */
export const averageWeeklyHours: Rule = {
  name: 'average-weekly-hours',
  title: 'Average weekly hours over the averaging period',
  parameters: ['averageWeeklyHours', 'averagingWeeks'],
  constrain(ctx) {
    const avg = ctx.params.averageWeeklyHours;
    if (avg === null) return;
    const weeks = calendarWeeks(ctx.request.period.start, ctx.request.period.weeks, ctx.request.ordning.timezone);
    const span = Math.min(ctx.params.averagingWeeks, weeks.length);
    for (const [a, items] of ctx.work)
      for (let i = 0; i + span <= weeks.length; i++) {
        const from = weeks[i]!.start;
        const to = weeks[i + span - 1]!.end;
        const terms = items.map((item) => ({ item, coef: overlapHours(item, from, to) * (item.kind === 'passive' ? 0.5 : 1) }));
        limitRow(ctx, `avg:${a}:${i}`, terms.filter((t) => t.coef > 0), avg * span);
      }
  },
  check: checkAverageWeeklyHours,
};
