import { isNightShift } from '../calendar.ts';
import { checkMaxHoursPerDay, checkMaxHoursPerWeek, checkNightWork } from '../check/windows.ts';
import { weekCeiling } from '../check/input.ts';
import { HOUR, type ModelContext, type WorkItem, limitRow, overlapHours } from '../model/context.ts';
import type { Rule } from './rule.ts';

const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

interface Limit { limit: number; allowance: number; ceiling: number }

/** The two linear forms of the passive-hours allowance (rule book) over one window. */
function windowRows(ctx: ModelContext, name: string, items: WorkItem[], from: number, to: number, l: Limit, trigger?: WorkItem): void {
  const inside = items.filter((w) => w.end > from && w.start < to);
  const half = inside.map((item) => ({ item, coef: overlapHours(item, from, to) * (item.kind === 'passive' ? 0.5 : 1) }));
  const full = inside.map((item) => ({ item, coef: overlapHours(item, from, to) }));
  const bounded = (terms: typeof half, ub: number, tag: string) => (trigger ? conditionalRow(ctx, `${name}${tag}`, terms, ub, trigger) : limitRow(ctx, `${name}${tag}`, terms, ub));
  bounded(half, l.limit, ':a');
  bounded(full, Math.min(l.limit + l.allowance, l.ceiling), ':b');
}

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

function peaks(items: WorkItem[], length: number): [number, number][] {
  const seen = new Set<number>();
  const out: [number, number][] = [];
  for (const from of [...items.map((w) => w.start), ...items.map((w) => w.end - length)])
    if (!seen.has(from)) { seen.add(from); out.push([from, from + length]); }
  return out;
}

const countedAlone = (hours: number, kind: 'active' | 'passive', l: Limit) =>
  (kind === 'passive' ? hours / 2 : hours) <= l.limit + 1e-9 && hours <= Math.min(l.limit + l.allowance, l.ceiling) + 1e-9;

const dayLimit = (ctx: ModelContext): Limit => ({ limit: ctx.params.maxHoursPerDay, allowance: 2, ceiling: Infinity });
const nightLimit = (ctx: ModelContext): Limit => ({ limit: ctx.params.maxHoursPerDayWithNight, allowance: 2, ceiling: Infinity });
function weekLimit(ctx: ModelContext): Limit {
  const limit = ctx.hasNightWork ? ctx.params.maxHoursPerWeekWithNight : ctx.params.maxHoursPerWeek;
  return { limit, allowance: 10, ceiling: weekCeiling(limit) };
}

export const maxHoursPerDay: Rule = {
  name: 'max-hours-per-day',
  title: 'Working hours within any 24 hours',
  parameters: ['maxHoursPerDay'],
  eligible: (_a, s, ctx) => countedAlone(s.hours, s.kind, dayLimit(ctx)),
  constrain(ctx) {
    for (const [a, items] of ctx.work)
      for (const [from, to] of peaks(items, DAY)) windowRows(ctx, `day:${a}:${from}`, items, from, to, dayLimit(ctx));
  },
  check: checkMaxHoursPerDay,
};

const isNight = (ctx: ModelContext, w: { start: number; end: number }) =>
  isNightShift(w.start, w.end, ctx.request.ordning.timezone, ctx.params.nightStart, ctx.params.nightEnd);

export const nightWork: Rule = {
  name: 'night-work',
  title: 'Hours within 24 hours around night work',
  parameters: ['nightStart', 'nightEnd', 'maxHoursPerDayWithNight'],
  eligible: (_a, s, ctx) => !isNight(ctx, s) || countedAlone(s.hours, s.kind, nightLimit(ctx)),
  constrain(ctx) {
    for (const [a, items] of ctx.work)
      for (const n of items.filter((w) => isNight(ctx, w)))
        for (const [from, to] of peaks(items, DAY))
          if (n.start >= from && n.end <= to) windowRows(ctx, `night:${a}:${n.shiftId}:${from}`, items, from, to, nightLimit(ctx), n);
  },
  check: checkNightWork,
};

export const maxHoursPerWeek: Rule = {
  name: 'max-hours-per-week',
  title: 'Working hours within any 7 days',
  parameters: ['maxHoursPerWeek', 'maxHoursPerWeekWithNight'],
  constrain(ctx) {
    for (const [a, items] of ctx.work)
      for (const [from, to] of peaks(items, WEEK)) windowRows(ctx, `week:${a}:${from}`, items, from, to, weekLimit(ctx));
  },
  check: checkMaxHoursPerWeek,
};
