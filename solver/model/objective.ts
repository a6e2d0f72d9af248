import { isNightShift, weekends } from '../calendar.ts';
import { vedtakHours } from '../budget.ts';
import { DateTime } from 'luxon';
import { WEEKDAYS, type Preference } from '../request.ts';
import type { ShiftInstance } from '../normalise.ts';
import type { ModelContext } from './context.ts';
import { worksDuring } from './indicators.ts';

export interface ObjectiveOptions {
  /** Min-max fairness and spread terms; off for javascript-lp-solver, where they make branch-and-bound explode. */
  balance: boolean;
  /** Contract hours each team member should reach in this model's window. */
  targets: Map<string, number>;
  /** Extra cost per hour for an assistant (re-plans: pool members cost more than the team). */
  hourCost?: Map<string, number>;
}

/**
 * Lexicographic by weights: coverage by priority (per hour) far above fairness, fairness above
 * spread, spread above wishes. Coverage is a reward, so an empty plan is always feasible.
 */
export const COVER_REWARD = { essential: 1000, important: 100, optional: 10 } as const;
const DEVIATION = 1;
const SPREAD = 2;

function matches(p: Preference, s: ShiftInstance, zone: string): boolean {
  const start = DateTime.fromMillis(s.start, { zone });
  if (p.needId && p.needId !== s.needId) return false;
  if (p.days && !p.days.includes(WEEKDAYS[start.weekday - 1]!)) return false;
  if (p.dates && !p.dates.includes(s.date)) return false;
  if (p.start && p.end) {
    const from = DateTime.fromISO(`${s.date}T${p.start}`, { zone }).toMillis();
    let to = DateTime.fromISO(`${s.date}T${p.end}`, { zone }).toMillis();
    if (p.end <= p.start) to += 86_400_000;
    return s.start < to && s.end > from;
  }
  return true;
}

export function addObjective(ctx: ModelContext, choices: { assistantId: string; shiftId: string; v: number }[], opts: ObjectiveOptions): void {
  const { builder, request } = ctx;
  const zone = request.ordning.timezone;
  const byId = new Map(ctx.shifts.map((s) => [s.id, s]));
  const prefs = new Map(request.assistants.map((a) => [a.id, a.preferences]));
  for (const c of choices) {
    const s = byId.get(c.shiftId)!;
    const wish = (prefs.get(c.assistantId) ?? []).filter((p) => matches(p, s, zone)).reduce((t, p) => t + p.weight, 0);
    const extra = (opts.hourCost?.get(c.assistantId) ?? 0) * s.hours;
    builder.addCost(c.v, -COVER_REWARD[s.priority] * vedtakHours(s.hours, s.kind, request) - wish * 0.5 + extra);
  }
  addFairness(ctx, choices, opts);
}

function addFairness(ctx: ModelContext, choices: { assistantId: string; shiftId: string; v: number }[], opts: ObjectiveOptions): void {
  const { builder } = ctx;
  const byId = new Map(ctx.shifts.map((s) => [s.id, s]));
  const team = [...opts.targets].filter(([, t]) => t > 0);
  if (team.length === 0) return;
  const meanTarget = team.reduce((t, [, x]) => t + x, 0) / team.length;
  const z = opts.balance ? builder.continuous('fair:max-relative', 2 * meanTarget) : undefined;
  for (const [a, target] of team) {
    const hours: [number, number][] = choices.filter((c) => c.assistantId === a).map((c) => [c.v, byId.get(c.shiftId)!.hours]);
    const fixed = (ctx.work.get(a) ?? []).filter((w) => w.v === undefined && byId.has(w.shiftId)).reduce((t, w) => t + byId.get(w.shiftId)!.hours, 0);
    const d = builder.continuous(`fair:dev:${a}`, DEVIATION);
    builder.row(`fair:over:${a}`, [...hours, [d, -1]], -Infinity, target - fixed);
    if (!opts.balance) continue; // javascript-lp-solver: all rows <= with a non-negative right-hand side
    builder.row(`fair:under:${a}`, [...hours, [d, 1]], target - fixed, Infinity);
    builder.row(`fair:rel:${a}`, [[d, 1 / target], [z!, -1]], -Infinity, 0);
  }
  if (!opts.balance) return;
  const teamIds = team.map(([a]) => a);
  const night = (s: { start: number; end: number }) => isNightShift(s.start, s.end, ctx.request.ordning.timezone, ctx.params.nightStart, ctx.params.nightEnd);
  const nightTerms = (a: string): [number, number][] => choices.filter((c) => c.assistantId === a && night(byId.get(c.shiftId)!)).map((c) => [c.v, 1]);
  spread(ctx, 'nights', teamIds, nightTerms);
  const weekendSpans = weekends(ctx.window.start, ctx.window.end, ctx.request.ordning.timezone);
  spread(ctx, 'weekends', teamIds, (a) => indicatorTerms(ctx, a, weekendSpans));
  spread(ctx, 'sundays', teamIds, (a) => indicatorTerms(ctx, a, ctx.sundayPeriods.filter((p) => p.end > ctx.window.start && p.start < ctx.window.end)));
}

function indicatorTerms(ctx: ModelContext, a: string, spans: { start: number; end: number; label: string }[]): [number, number][] {
  return spans.map((p) => worksDuring(ctx, a, p)).filter((y): y is number => typeof y === 'number').map((y) => [y, 1]);
}

/** Penalise the range (most minus fewest) of a count across the team. */
function spread(ctx: ModelContext, name: string, team: string[], terms: (a: string) => [number, number][]): void {
  const per = team.map((a) => [a, terms(a)] as const);
  if (per.every(([, t]) => t.length === 0)) return;
  const hi = ctx.builder.continuous(`spread:${name}:max`, SPREAD);
  const lo = ctx.builder.continuous(`spread:${name}:min`, -SPREAD);
  for (const [a, t] of per) {
    ctx.builder.row(`spread:${name}:hi:${a}`, [...t, [hi, -1]], -Infinity, 0);
    ctx.builder.row(`spread:${name}:lo:${a}`, [...t, [lo, -1]], 0, Infinity);
  }
}
