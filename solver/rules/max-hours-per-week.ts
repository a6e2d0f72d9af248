import { checkMaxHoursPerWeek } from '../check/windows.ts';
import { isNightShift } from '../calendar.ts';
import type { ModelContext, WorkItem } from '../model/context.ts';
import { WEEK, peaks, weekLimit, windowRows } from '../model/windows.ts';
import type { Rule } from './rule.ts';

/**
 * Whether the assistant works nights in this plan, as the checker reads it: `true` when fixed work
 * holds a night shift, `false` when no night shift is possible, else a binary n that is exactly
 * "works a night shift" (x <= n for each, n <= their sum): a limit may go either way with it.
 */
function worksNights(ctx: ModelContext, a: string, items: WorkItem[]): number | boolean {
  const nights = items.filter((w) => isNightShift(w.start, w.end, ctx.request.ordning.timezone, ctx.params.nightStart, ctx.params.nightEnd));
  if (nights.some((w) => w.v === undefined)) return true;
  if (nights.length === 0) return false;
  const n = ctx.builder.binary(`nightworker:${a}`);
  for (const w of nights) ctx.builder.row(`nightworker:${a}:${w.shiftId}`, [[w.v!, 1], [n, -1]], -Infinity, 0);
  ctx.builder.row(`nightworker:${a}`, [[n, 1], ...nights.map((w): [number, number] => [w.v!, -1])], -Infinity, 0);
  return n;
}

/** AML §10-4: hours within any 7 days; the lower limit (38 h in aml) for an assistant who works nights. */
export const maxHoursPerWeek: Rule = {
  name: 'max-hours-per-week',
  title: 'Working hours within any 7 days',
  parameters: ['maxHoursPerWeek', 'maxHoursPerWeekWithNight'],
  constrain(ctx) {
    for (const [a, items] of ctx.work) {
      const nights = worksNights(ctx, a, items);
      const lower = typeof nights === 'number' ? { v: nights, limit: weekLimit(ctx, true) } : undefined;
      for (const [from, to] of peaks(items, WEEK)) windowRows(ctx, `week:${a}:${from}`, items, from, to, weekLimit(ctx, nights === true), undefined, lower);
    }
  },
  check: checkMaxHoursPerWeek,
};
