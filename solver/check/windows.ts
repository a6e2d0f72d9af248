import { isNightShift } from '../calendar.ts';
import type { Violation } from '../result.ts';
import { type CheckInput, type Work, HOUR, fmt, inside, load, passiveExcess, peakWindows, violation, weekCeiling, workByAssistant } from './input.ts';
import { sundaysWorked } from './sunday.ts';
import { type HourLimits, limitIn } from '../rules/rest-elsewhere.ts';

const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const FOUR_WEEKS = 4 * WEEK;

interface WindowLimit { limit: number; allowance: number; ceiling?: number; which?: keyof HourLimits }

/**
 * The worst window of each assistant whose counted hours pass the limit (one violation per
 * assistant). With `which`, a window holding work elsewhere keeps the stricter of the two
 * ordninger's limits (rules/rest-elsewhere.ts).
 */
function windowCheck(input: CheckInput, rule: string, length: number, limitFor: (items: Work[]) => WindowLimit, windowsFor: (items: Work[]) => [number, number][]): Violation[] {
  const out: Violation[] = [];
  for (const [a, items] of workByAssistant(input)) {
    const base = limitFor(items);
    const elsewhere = items.filter((w) => w.limits);
    let worst: { excess: number; from: number; to: number; hours: number; limit: number } | undefined;
    for (const [from, to] of windowsFor(items)) {
      const { allowance, ceiling, limit } = base.which ? stricterIn(base, elsewhere, from, to, base.which) : base;
      const { active, passive, own } = load(items, from, to);
      const excess = passiveExcess(active, passive, limit, allowance, ceiling);
      if (excess > 1e-6 && (!worst || excess > worst.excess) && own) worst = { excess, from, to, hours: active + passive, limit };
    }
    if (worst) out.push(...violation(rule, a, inside(items, worst.from, worst.to), `${fmt(worst.hours)} within ${length / HOUR} h, limit ${worst.limit} h`));
  }
  return out;
}

/** `base` in a window that holds work elsewhere planned with a stricter limit; `elsewhere`: the work with limits of its own. */
function stricterIn(base: WindowLimit, elsewhere: Work[], from: number, to: number, which: keyof HourLimits): WindowLimit {
  const limit = limitIn(elsewhere, from, to, which, base.limit);
  return limit === base.limit ? base : { ...base, limit, ceiling: base.ceiling === undefined ? undefined : Math.min(base.ceiling, weekCeiling(limit)) };
}

export const checkMaxHoursPerDay = (input: CheckInput): Violation[] =>
  windowCheck(input, 'max-hours-per-day', DAY, () => ({ limit: input.params.maxHoursPerDay, allowance: 2, which: 'day' }), (items) => peakWindows(items, DAY));

const nightShift = (input: CheckInput, w: Work) =>
  isNightShift(w.start, w.end, input.request.ordning.timezone, input.params.nightStart, input.params.nightEnd);

/** 24 h windows that hold a whole night shift, at their peaks. */
function nightWindows(input: CheckInput, items: Work[]): [number, number][] {
  const nights = items.filter((w) => nightShift(input, w));
  return peakWindows(items, DAY).filter(([from, to]) => nights.some((n) => n.start >= from && n.end <= to));
}

/**
 * AML §10-11(3): for an assistant who works nights, counted hours per 24 h averaged over every 4 weeks
 * (every 28-day window, at its peaks); `per-24h`: in every 24 h window around a night shift.
 */
export function checkNightWork(input: CheckInput): Violation[] {
  const { maxHoursPerDayWithNight: limit, nightWorkLimit } = input.params;
  if (nightWorkLimit === 'per-24h') return windowCheck(input, 'night-work', DAY, () => ({ limit, allowance: 2 }), (items) => nightWindows(input, items));
  const worksNights = (items: Work[]) => items.some((w) => nightShift(input, w));
  return windowCheck(input, 'night-work', FOUR_WEEKS, () => ({ limit: limit * 28, allowance: 2 * 28 }), (items) => (worksNights(items) ? peakWindows(items, FOUR_WEEKS) : []));
}

/** AML §10-4(4): night work, or work on at least every third Sunday/holiday of the plan. */
export function shorterWeek(input: CheckInput, items: Work[]): boolean {
  if (items.some((w) => nightShift(input, w))) return true;
  const { worked, of } = sundaysWorked(input, items);
  return of > 0 && worked >= of / 3 - 1e-9;
}

export const checkMaxHoursPerWeek = (input: CheckInput): Violation[] =>
  windowCheck(
    input,
    'max-hours-per-week',
    WEEK,
    (items) => {
      const shorter = shorterWeek(input, items);
      const limit = shorter ? input.params.maxHoursPerWeekWithNight : input.params.maxHoursPerWeek;
      return { limit, allowance: 10, ceiling: weekCeiling(limit), which: shorter ? 'weekWithNight' : 'week' };
    },
    (items) => peakWindows(items, WEEK),
  );
