import { calendarWeeks } from '../calendar.ts';
import { checkWeeklyRest } from '../check/weekly.ts';
import { HOUR, type ModelContext } from '../model/context.ts';
import type { Rule } from './rule.ts';

const weeksOf = (ctx: ModelContext) => calendarWeeks(ctx.request.period.start, ctx.request.period.weeks, ctx.request.ordning.timezone);

/**
 * AML §10-8(2). The longest free stretch of a week starts at the week's start or at a shift's end,
 * so those are the candidate rest windows; a binary per candidate says "the rest is here".
 */
function constrain(ctx: ModelContext): void {
  for (const [a, items] of ctx.work)
    for (const week of weeksOf(ctx)) {
      if (week.end <= ctx.window.start || week.start >= ctx.window.end) continue;
      const inWeek = items.filter((w) => w.end > week.start && w.start < week.end);
      if (!inWeek.some((w) => w.v !== undefined)) continue;
      // As the checker: work elsewhere in the week may be owed a longer rest (rest-elsewhere.ts).
      const fixed = inWeek.filter((w) => w.v === undefined).map((w) => w.rest?.weekly ?? ctx.params.minWeeklyRestHours);
      const rest = Math.max(ctx.params.minWeeklyRestHours, ...fixed) * HOUR;
      const starts = [week.start, ...inWeek.map((w) => w.end)].filter((c) => c >= week.start && c + rest <= week.end);
      const candidates = starts.map((c) => inWeek.filter((w) => w.end > c && w.start < c + rest)).filter((blockers) => blockers.every((w) => w.v !== undefined));
      if (candidates.length === 0 || candidates.some((blockers) => blockers.length === 0)) continue; // impossible, or never binds
      const picks = candidates.map((blockers, k) => {
        const r = ctx.builder.binary(`rest7:${a}:${week.label}:${k}`);
        ctx.builder.row(`rest7:${a}:${week.label}:${k}`, [...blockers.map((w) => [w.v!, 1] as [number, number]), [r, blockers.length]], -Infinity, blockers.length);
        return r;
      });
      ctx.builder.row(`rest7:${a}:${week.label}`, picks.map((r) => [r, 1]), 1, Infinity);
    }
}

export const weeklyRest: Rule = {
  name: 'weekly-rest',
  title: 'Continuous weekly rest',
  parameters: ['minWeeklyRestHours'],
  constrain,
  check: checkWeeklyRest,
};
