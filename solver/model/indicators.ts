import { isNightShift } from '../calendar.ts';
import type { ModelContext } from './context.ts';

/**
 * Whether an assistant works during a span (a Sunday period, a weekend): `true` when fixed work
 * falls in it, `false` when nothing can, otherwise a binary y with x <= y for every shift in it and
 * y <= Σ x, so y is exactly "works then" (a loose y would let the spread level count a day off as
 * worked). Cached so the Sunday rule and the spread level share one indicator.
 */
export function worksDuring(ctx: ModelContext, assistantId: string, span: { start: number; end: number; label: string }): number | boolean {
  const key = `${assistantId}|${span.label}|${span.start}`;
  const cached = ctx.indicators.get(key);
  if (cached !== undefined) return cached;
  const items = (ctx.work.get(assistantId) ?? []).filter((w) => w.end > span.start && w.start < span.end);
  let result: number | boolean;
  if (items.some((w) => w.v === undefined)) result = true;
  else if (items.length === 0) result = false;
  else {
    const y = ctx.builder.binary(`works:${key}`);
    for (const w of items) ctx.builder.row(`works:${key}:${w.shiftId}`, [[w.v!, 1], [y, -1]], -Infinity, 0);
    ctx.builder.row(`works:${key}`, [[y, 1], ...items.map((w): [number, number] => [w.v!, -1])], -Infinity, 0);
    ctx.derived.set(y, (x) => items.some((w) => (x[w.v!] ?? 0) > 0.5));
    result = y;
  }
  ctx.indicators.set(key, result);
  return result;
}

/**
 * Whether an assistant works nights in this plan, as the checker reads it (any shift with more than
 * 3 h at night, here or elsewhere): `true` when fixed work holds one, `false` when none is possible,
 * else a binary n that is exactly "works a night shift" (x <= n for each, n <= their sum), so a limit
 * may go either way with it. Shared by the weekly limit and the night-work rule.
 */
export function worksNights(ctx: ModelContext, a: string): number | boolean {
  const key = `nights|${a}`;
  const cached = ctx.indicators.get(key);
  if (cached !== undefined) return cached;
  const nights = (ctx.work.get(a) ?? []).filter((w) => isNightShift(w.start, w.end, ctx.request.ordning.timezone, ctx.params.nightStart, ctx.params.nightEnd));
  let result: number | boolean;
  if (nights.some((w) => w.v === undefined)) result = true;
  else if (nights.length === 0) result = false;
  else {
    const n = ctx.builder.binary(`nightworker:${a}`);
    for (const w of nights) ctx.builder.row(`nightworker:${a}:${w.shiftId}`, [[w.v!, 1], [n, -1]], -Infinity, 0);
    ctx.builder.row(`nightworker:${a}`, [[n, 1], ...nights.map((w): [number, number] => [w.v!, -1])], -Infinity, 0);
    ctx.derived.set(n, (x) => nights.some((w) => (x[w.v!] ?? 0) > 0.5));
    result = n;
  }
  ctx.indicators.set(key, result);
  return result;
}

/**
 * Whether an assistant works at least every third Sunday/holiday period of the plan (a third of them,
 * or more), as the checker reads it: a binary s with s = 1 exactly when the count reaches the third.
 * Periods after this model's window (week-by-week models) count as worked: stricter, never looser.
 */
export function worksEveryThirdSunday(ctx: ModelContext, a: string): number | boolean {
  const key = `sundays3|${a}`;
  const cached = ctx.indicators.get(key);
  if (cached !== undefined) return cached;
  const periods = ctx.sundayPeriods;
  const third = Math.ceil(periods.length / 3 - 1e-9);
  const on = periods.map((p) => (p.start >= ctx.window.end ? true : worksDuring(ctx, a, p)));
  const fixed = on.filter((o) => o === true).length;
  const vars = on.filter((o): o is number => typeof o === 'number');
  let result: number | boolean;
  if (periods.length === 0) result = false;
  else if (fixed >= third) result = true;
  else if (fixed + vars.length < third) result = false;
  else {
    const s = ctx.builder.binary(`sundays3:${a}`);
    const need = third - fixed;
    // Σ y >= need forces s = 1; s = 1 needs Σ y >= need.
    ctx.builder.row(`sundays3:${a}:on`, [...vars.map((y): [number, number] => [y, 1]), [s, -(vars.length - need + 1)]], -Infinity, need - 1);
    ctx.builder.row(`sundays3:${a}:only`, [[s, need], ...vars.map((y): [number, number] => [y, -1])], -Infinity, 0);
    ctx.derived.set(s, (x) => vars.filter((y) => ctx.derived.get(y)!(x)).length >= need);
    result = s;
  }
  ctx.indicators.set(key, result);
  return result;
}

/** AML §10-4(4): the shorter week applies to night work or work on at least every third Sunday: r = n OR s, exactly. */
export function worksShorterWeek(ctx: ModelContext, a: string): number | boolean {
  const key = `shorter|${a}`;
  const cached = ctx.indicators.get(key);
  if (cached !== undefined) return cached;
  const n = worksNights(ctx, a);
  const s = worksEveryThirdSunday(ctx, a);
  if (typeof n !== 'number' || typeof s !== 'number') {
    const simple = n === true || s === true ? true : n === false ? s : n;
    ctx.indicators.set(key, simple);
    return simple;
  }
  const r = ctx.builder.binary(`shorterweek:${a}`);
  ctx.builder.row(`shorterweek:${a}:n`, [[n, 1], [r, -1]], -Infinity, 0);
  ctx.builder.row(`shorterweek:${a}:s`, [[s, 1], [r, -1]], -Infinity, 0);
  ctx.builder.row(`shorterweek:${a}`, [[r, 1], [n, -1], [s, -1]], -Infinity, 0);
  ctx.derived.set(r, (x) => ctx.derived.get(n)!(x) || ctx.derived.get(s)!(x));
  ctx.indicators.set(key, r);
  return r;
}

/** An indicator's value in a solution, read from the assignments (not from the indicator variable). */
export function indicatorValue(ctx: ModelContext, indicator: number | boolean, x: number[]): boolean {
  return typeof indicator === 'boolean' ? indicator : ctx.derived.get(indicator)!(x);
}
