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
    result = n;
  }
  ctx.indicators.set(key, result);
  return result;
}
