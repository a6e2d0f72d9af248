import { isNightShift } from '../calendar.ts';
import type { ModelContext, WorkItem } from './context.ts';

/** Indicators are shared by the rules and the levels that ask for them: one per key and model. */
function cached(ctx: ModelContext, key: string, make: () => number | boolean): number | boolean {
  let result = ctx.indicators.get(key);
  if (result === undefined) ctx.indicators.set(key, (result = make()));
  return result;
}

/**
 * "Works any of these": `true` when one is fixed work, `false` when there are none, otherwise a
 * binary y with x <= y for each and y <= Σ x, so y is exact and a limit may go either way with it
 * (a loose y would, for instance, let the spread level count a day off as worked).
 */
function anyOf(ctx: ModelContext, name: string, items: WorkItem[]): number | boolean {
  if (items.some((w) => w.v === undefined)) return true;
  if (items.length === 0) return false;
  const y = ctx.builder.binary(name);
  for (const w of items) ctx.builder.row(`${name}:${w.shiftId}`, [[w.v!, 1], [y, -1]], -Infinity, 0);
  ctx.builder.row(name, [[y, 1], ...items.map((w): [number, number] => [w.v!, -1])], -Infinity, 0);
  ctx.derived.set(y, (x) => items.some((w) => (x[w.v!] ?? 0) > 0.5));
  return y;
}

/** Whether an assistant works during a span (a Sunday/holiday period, a weekend). */
export function worksDuring(ctx: ModelContext, assistantId: string, span: { start: number; end: number; label: string }): number | boolean {
  const key = `${assistantId}|${span.label}|${span.start}`;
  return cached(ctx, key, () => anyOf(ctx, `works:${key}`, (ctx.work.get(assistantId) ?? []).filter((w) => w.end > span.start && w.start < span.end)));
}

/**
 * Whether an assistant works nights in this plan, as the checker reads it (any shift with more than
 * 3 h at night, here or elsewhere). Shared by the weekly limit and the night-work rule.
 */
export function worksNights(ctx: ModelContext, a: string): number | boolean {
  const night = (w: WorkItem) => isNightShift(w.start, w.end, ctx.request.ordning.timezone, ctx.params.nightStart, ctx.params.nightEnd);
  return cached(ctx, `nights|${a}`, () => anyOf(ctx, `nightworker:${a}`, (ctx.work.get(a) ?? []).filter(night)));
}

/**
 * Whether an assistant works at least every third Sunday/holiday period of the plan (a third of them,
 * or more), as the checker reads it: a binary s with s = 1 exactly when the count reaches the third.
 * Periods after this model's window (week-by-week models) count as worked: stricter, never looser.
 */
export function worksEveryThirdSunday(ctx: ModelContext, a: string): number | boolean {
  return cached(ctx, `sundays3|${a}`, () => {
    const periods = ctx.sundayPeriods;
    const third = Math.ceil(periods.length / 3 - 1e-9);
    const on = periods.map((p) => (p.start >= ctx.window.end ? true : worksDuring(ctx, a, p)));
    const fixed = on.filter((o) => o === true).length;
    const vars = on.filter((o): o is number => typeof o === 'number');
    if (periods.length === 0) return false;
    if (fixed >= third) return true;
    if (fixed + vars.length < third) return false;
    const s = ctx.builder.binary(`sundays3:${a}`);
    const need = third - fixed;
    // Σ y >= need forces s = 1; s = 1 needs Σ y >= need.
    ctx.builder.row(`sundays3:${a}:on`, [...vars.map((y): [number, number] => [y, 1]), [s, -(vars.length - need + 1)]], -Infinity, need - 1);
    ctx.builder.row(`sundays3:${a}:only`, [[s, need], ...vars.map((y): [number, number] => [y, -1])], -Infinity, 0);
    ctx.derived.set(s, (x) => vars.filter((y) => ctx.derived.get(y)!(x)).length >= need);
    return s;
  });
}

/** AML §10-4(4): the shorter week applies to night work or work on at least every third Sunday: r = n OR s, exactly. */
export function worksShorterWeek(ctx: ModelContext, a: string): number | boolean {
  return cached(ctx, `shorter|${a}`, () => {
    const n = worksNights(ctx, a);
    const s = worksEveryThirdSunday(ctx, a);
    if (typeof n !== 'number' || typeof s !== 'number') return n === true || s === true ? true : n === false ? s : n;
    const r = ctx.builder.binary(`shorterweek:${a}`);
    ctx.builder.row(`shorterweek:${a}:n`, [[n, 1], [r, -1]], -Infinity, 0);
    ctx.builder.row(`shorterweek:${a}:s`, [[s, 1], [r, -1]], -Infinity, 0);
    ctx.builder.row(`shorterweek:${a}`, [[r, 1], [n, -1], [s, -1]], -Infinity, 0);
    ctx.derived.set(r, (x) => ctx.derived.get(n)!(x) || ctx.derived.get(s)!(x));
    return r;
  });
}

/** An indicator's value in a solution, read from the assignments (not from the indicator variable). */
export function indicatorValue(ctx: ModelContext, indicator: number | boolean, x: number[]): boolean {
  return typeof indicator === 'boolean' ? indicator : ctx.derived.get(indicator)!(x);
}
