import { weekCeiling } from '../check/input.ts';
import { type HourLimits, limitIn } from '../rules/rest-elsewhere.ts';
import { HOUR, type ModelContext, type WorkItem, overlapHours } from './context.ts';

/** Window limits shared by the day, night and week rules: the passive-hours allowance as rows. */

export const DAY = 24 * HOUR;
export const WEEK = 7 * DAY;
export const FOUR_WEEKS = 4 * WEEK;

export interface Limit { limit: number; allowance: number; ceiling: number }

/**
 * The two linear forms of the passive-hours allowance (rule book) over one window. With `lower`, a
 * binary that lowers the limit to `lower.limit` when it is 1 (an assistant's own night work).
 */
export function windowRows(ctx: ModelContext, prefix: string, items: WorkItem[], from: number, to: number, l: Limit, trigger?: WorkItem, lower?: { v: number; limit: Limit }): void {
  // Only work fixed already (bookings elsewhere, kept shifts): no row can change what the plan chooses.
  if (!trigger && !lower && !choosesIn(items, from, to)) return;
  if (trigger) {
    conditionalRow(ctx, prefix, ':a', items, from, to, 0.5, halfLimit(l), trigger);
    conditionalRow(ctx, prefix, ':b', items, from, to, 1, fullLimit(l), trigger);
    return;
  }
  windowRow(ctx, prefix, ':a', items, from, to, 0.5, halfLimit(l), lower?.v, lower ? halfLimit(l) - halfLimit(lower.limit) : 0);
  windowRow(ctx, prefix, ':b', items, from, to, 1, fullLimit(l), lower?.v, lower ? fullLimit(l) - fullLimit(lower.limit) : 0);
}

/** `l` in a window that holds work elsewhere planned with a stricter limit (rules/rest-elsewhere.ts); `elsewhere`: the items with limits of their own. */
export function within(l: Limit, elsewhere: WorkItem[], from: number, to: number, which: keyof HourLimits): Limit {
  const limit = limitIn(elsewhere, from, to, which, l.limit);
  return limit === l.limit ? l : { ...l, limit, ceiling: which === 'day' ? l.ceiling : Math.min(l.ceiling, weekCeiling(limit)) };
}

/** The limit on active hours and passive ones at half, and the one on all hours with the allowance. */
const halfLimit = (l: Limit) => l.limit;
const fullLimit = (l: Limit) => Math.min(l.limit + l.allowance, l.ceiling);

function choosesIn(items: WorkItem[], from: number, to: number): boolean {
  for (const item of items) if (item.v !== undefined && item.end > from && item.start < to) return true;
  return false;
}

/** An item's hours in the window, passive hours at `passive` each. */
const coefIn = (item: WorkItem, from: number, to: number, passive: number) => {
  const hours = overlapHours(item, from, to);
  return passive !== 1 && item.kind === 'passive' ? hours * passive : hours;
};

/**
 * limitRow over the items in the window (and `extraV`, a variable, at `extraCoef`), summed
 * before any term is made: most windows cannot bind, and there is one for every shift start of
 * every assistant (this was the model's largest allocation). Rows are named `prefix:from:a` (or `:b`).
 */
function windowRow(ctx: ModelContext, prefix: string, tag: string, items: WorkItem[], from: number, to: number, passive: number, ub: number, extraV?: number, extraCoef = 0): void {
  const { fixed, vars, worst } = windowSums(items, from, to, passive);
  const extra = extraV !== undefined && extraCoef !== 0;
  if ((vars === 0 && !extra) || fixed + (worst + (extra ? Math.max(0, extraCoef) : 0)) <= ub + 1e-9) return;
  const terms = variableTerms(items, from, to, passive);
  if (extra) terms.push([extraV, extraCoef]);
  ctx.builder.row(`${prefix}:${from}${tag}`, terms, -Infinity, Math.max(0, ub - fixed));
}

/** The limit holds only when `trigger` is worked: big-M on the trigger's variable. */
function conditionalRow(ctx: ModelContext, prefix: string, tag: string, items: WorkItem[], from: number, to: number, passive: number, ub: number, trigger: WorkItem): void {
  if (trigger.v === undefined) return windowRow(ctx, prefix, tag, items, from, to, passive, ub);
  const { fixed, worstOfAll } = windowSums(items, from, to, passive);
  const m = worstOfAll - ub;
  if (m <= 1e-9) return;
  const terms = variableTerms(items, from, to, passive);
  terms.push([trigger.v, m]);
  ctx.builder.row(`${prefix}:${from}${tag}`, terms, -Infinity, Math.max(0, ub - fixed) + m);
}

/**
 * Over the items in the window: the hours of fixed work, how many are variables, and the most the
 * variables' hours (`worst`) or all hours (`worstOfAll`) can add, negative coefficients at 0.
 */
function windowSums(items: WorkItem[], from: number, to: number, passive: number) {
  let fixed = 0;
  let vars = 0;
  let worst = 0;
  let worstOfAll = 0;
  for (const item of items) {
    if (item.end <= from || item.start >= to) continue;
    const coef = coefIn(item, from, to, passive);
    worstOfAll += Math.max(0, coef);
    if (item.v === undefined) fixed += coef;
    else {
      vars++;
      worst += Math.max(0, coef);
    }
  }
  return { fixed, vars, worst, worstOfAll };
}

function variableTerms(items: WorkItem[], from: number, to: number, passive: number): [number, number][] {
  const terms: [number, number][] = [];
  for (const item of items) if (item.v !== undefined && item.end > from && item.start < to) terms.push([item.v, coefIn(item, from, to, passive)]);
  return terms;
}

/** A binary indicator in the place of a shift, for rows that take work items. */
export const indicatorItem = (v: number): WorkItem => ({ shiftId: `indicator:${v}`, start: 0, end: 0, kind: 'active', v });

/** Where a window of `length` that can hold the most work starts: at a shift's start, or ending at a shift's end. */
export function peaks(items: WorkItem[], length: number): number[] {
  const seen = new Set<number>();
  for (const w of items) seen.add(w.start);
  for (const w of items) seen.add(w.end - length);
  return [...seen];
}

export const countedAlone = (hours: number, kind: 'active' | 'passive', l: Limit) =>
  (kind === 'passive' ? hours / 2 : hours) <= l.limit + 1e-9 && hours <= Math.min(l.limit + l.allowance, l.ceiling) + 1e-9;

export const dayLimit = (ctx: ModelContext): Limit => ({ limit: ctx.params.maxHoursPerDay, allowance: 2, ceiling: Infinity });
export const nightLimit = (ctx: ModelContext): Limit => ({ limit: ctx.params.maxHoursPerDayWithNight, allowance: 2, ceiling: Infinity });
/** The weekly limit for an assistant without night work, or with it (AML §10-4(4)). */
export function weekLimit(ctx: ModelContext, nightWork: boolean): Limit {
  const limit = nightWork ? ctx.params.maxHoursPerWeekWithNight : ctx.params.maxHoursPerWeek;
  return { limit, allowance: 10, ceiling: weekCeiling(limit) };
}

