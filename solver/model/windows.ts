import { weekCeiling } from '../check/input.ts';
import { HOUR, type ModelContext, type WorkItem, limitRow, overlapHours } from './context.ts';

/** Window limits shared by the day, night and week rules: the passive-hours allowance as rows. */

export const DAY = 24 * HOUR;
export const WEEK = 7 * DAY;
export const FOUR_WEEKS = 4 * WEEK;

export interface Limit { limit: number; allowance: number; ceiling: number }

/**
 * The two linear forms of the passive-hours allowance (rule book) over one window. With `lower`, a
 * binary that lowers the limit to `lower.limit` when it is 1 (an assistant's own night work).
 */
export function windowRows(ctx: ModelContext, name: string, items: WorkItem[], from: number, to: number, l: Limit, trigger?: WorkItem, lower?: { v: number; limit: Limit }): void {
  const half: { item: WorkItem; coef: number }[] = [];
  const full: typeof half = [];
  let chosen = false;
  for (const item of items) {
    if (item.end <= from || item.start >= to) continue;
    const hours = overlapHours(item, from, to);
    full.push({ item, coef: hours });
    half.push({ item, coef: item.kind === 'passive' ? hours * 0.5 : hours });
    chosen ||= item.v !== undefined;
  }
  // Only work fixed already (bookings elsewhere, kept shifts): no row can change what the plan chooses.
  if (!chosen && !trigger && !lower) return;
  const bounded = (terms: typeof half, ub: (l: Limit) => number, tag: string) => {
    if (trigger) return conditionalRow(ctx, `${name}${tag}`, terms, ub(l), trigger);
    const drop = lower ? ub(l) - ub(lower.limit) : 0;
    limitRow(ctx, `${name}${tag}`, drop !== 0 ? [...terms, { item: indicatorItem(lower!.v), coef: drop }] : terms, ub(l));
  };
  bounded(half, (x) => x.limit, ':a');
  bounded(full, (x) => Math.min(x.limit + x.allowance, x.ceiling), ':b');
}

/** A binary indicator in the place of a shift, for rows that take work items. */
export const indicatorItem = (v: number): WorkItem => ({ shiftId: `indicator:${v}`, start: 0, end: 0, kind: 'active', v });

/** The limit holds only when `trigger` is worked: big-M on the trigger's variable. */
function conditionalRow(ctx: ModelContext, name: string, terms: { item: WorkItem; coef: number }[], ub: number, trigger: WorkItem): void {
  if (trigger.v === undefined) return limitRow(ctx, name, terms, ub);
  const worst = terms.reduce((s, t) => s + Math.max(0, t.coef), 0);
  const m = worst - ub;
  if (m <= 1e-9) return;
  const fixed = terms.filter((t) => t.item.v === undefined).reduce((s, t) => s + t.coef, 0);
  const vars: [number, number][] = terms.filter((t) => t.item.v !== undefined).map((t) => [t.item.v!, t.coef]);
  vars.push([trigger.v, m]);
  ctx.builder.row(name, vars, -Infinity, Math.max(0, ub - fixed) + m);
}

export function peaks(items: WorkItem[], length: number): [number, number][] {
  const seen = new Set<number>();
  const out: [number, number][] = [];
  for (const from of [...items.map((w) => w.start), ...items.map((w) => w.end - length)])
    if (!seen.has(from)) { seen.add(from); out.push([from, from + length]); }
  return out;
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

