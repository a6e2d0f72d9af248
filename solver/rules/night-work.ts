import { isNightShift } from '../calendar.ts';
import { checkNightWork } from '../check/windows.ts';
import type { ModelContext } from '../model/context.ts';
import { worksNights } from '../model/indicators.ts';
import { DAY, FOUR_WEEKS, type Limit, countedAlone, indicatorItem, nightLimit, peaks, weekLimit, windowRows } from '../model/windows.ts';
import type { Rule } from './rule.ts';

const isNight = (ctx: ModelContext, w: { start: number; end: number }) =>
  isNightShift(w.start, w.end, ctx.request.ordning.timezone, ctx.params.nightStart, ctx.params.nightEnd);

/** The 4-week form: `maxHoursPerDayWithNight` for each of the 28 days, passive allowance likewise. */
export const fourWeekLimit = (day: Limit): Limit => ({ limit: day.limit * 28, allowance: day.allowance * 28, ceiling: Infinity });

/**
 * Four weekly limits for night workers within the 4-week one (every profile: 4 x 38..54 h against
 * 4 x 7 x 8 h) make the averaged rows redundant: the model leaves them out, the checker still checks.
 */
function impliedByWeeks(ctx: ModelContext): boolean {
  const week = weekLimit(ctx, true);
  const month = fourWeekLimit(nightLimit(ctx));
  return 4 * week.limit <= month.limit && 4 * Math.min(week.limit + week.allowance, week.ceiling) <= month.limit + month.allowance;
}

/**
 * AML §10-11(3): an employee who works nights has at most `maxHoursPerDayWithNight` counted hours
 * per 24 h, averaged over 4 weeks; `per-24h` holds it in every 24 h around a night shift instead.
 */
function constrain(ctx: ModelContext): void {
  if (ctx.params.nightWorkLimit === 'per-24h') {
    for (const [a, items] of ctx.work)
      for (const n of items.filter((w) => isNight(ctx, w)))
        for (const from of peaks(items, DAY))
          if (n.start >= from && n.end <= from + DAY) windowRows(ctx, `night:${a}:${n.shiftId}`, items, from, from + DAY, nightLimit(ctx), n);
    return;
  }
  if (impliedByWeeks(ctx)) return;
  for (const [a, items] of ctx.work) {
    const nights = worksNights(ctx, a);
    if (nights === false) continue;
    const trigger = nights === true ? undefined : indicatorItem(nights);
    for (const from of peaks(items, FOUR_WEEKS)) windowRows(ctx, `night28:${a}`, items, from, from + FOUR_WEEKS, fourWeekLimit(nightLimit(ctx)), trigger);
  }
}

export const nightWork: Rule = {
  name: 'night-work',
  title: 'Hours per 24 hours with night work',
  parameters: ['nightStart', 'nightEnd', 'maxHoursPerDayWithNight', 'nightWorkLimit'],
  // Only the per-24 h form can rule out a night shift on its own.
  eligible: (_a, s, ctx) => ctx.params.nightWorkLimit !== 'per-24h' || !isNight(ctx, s) || countedAlone(s.hours, s.kind, nightLimit(ctx)),
  constrain,
  check: checkNightWork,
};
