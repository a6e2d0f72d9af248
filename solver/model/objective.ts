import { isNightShift, localMillis, weekends } from '../calendar.ts';
import type { Preference } from '../request.ts';
import { weekdayOf } from '../normalise.ts';
import type { ShiftInstance } from '../normalise.ts';
import type { LevelName } from '../levels.ts';
import type { ModelContext, WorkItem } from './context.ts';
import { indicatorValue, worksDuring, worksShorterWeek } from './indicators.ts';

export interface ObjectiveOptions {
  /** Min-max fairness and spread; off for javascript-lp-solver, where they make branch-and-bound explode. */
  balance: boolean;
  /** Contract hours each team member should reach in this model's window. */
  targets: Map<string, number>;
  /** Price per hour of pool members (re-plans and short teams); absent for the team. */
  hourCost?: Map<string, number>;
}

type Terms = [number, number][];

/** One level of the score (solver/levels.ts) as the model sees it. */
export interface LevelExpression {
  /** The linear form the solver optimises: its value plus `constant` is the level's value. */
  terms: Terms;
  constant: number;
  /**
   * The level's value for a solution, read from the assignment variables alone: helper variables
   * of min-max forms may be loose, so they are not trusted for what the plan reports.
   */
  evaluate(values: number[]): number;
  /** The best value any plan could have (all needs covered, no deviation): reaching it proves the level. */
  best?: number;
  /** The assistants whose assignments set the value in a solution (min-max forms): where to search for better. */
  setters?(values: number[]): string[];
  /** Not in the model (the engine cannot take it): the value can only be read from a plan. */
  unmodelled?: true;
}

/** Every level, always: one the model leaves out says so (`unmodelled`) and is still read from a plan. */
export type LevelExpressions = Record<LevelName, LevelExpression>;

interface Choice { assistantId: string; shiftId: string; v: number }

/** Σ coef·x + constant, and its value for a solution. */
function linear(terms: Terms, constant: number): LevelExpression {
  return { terms, constant, evaluate: (x) => terms.reduce((t, [j, a]) => t + a * (x[j] ?? 0), constant) };
}

function matches(p: Preference, s: ShiftInstance, zone: string): boolean {
  if (p.needId && p.needId !== s.needId) return false;
  if (p.days && !p.days.includes(weekdayOf(s.date))) return false;
  if (p.dates && !p.dates.includes(s.date)) return false;
  if (p.start && p.end) {
    const from = localMillis(`${s.date}T${p.start}`, zone);
    let to = localMillis(`${s.date}T${p.end}`, zone);
    if (p.end <= p.start) to += 86_400_000;
    return s.start < to && s.end > from;
  }
  return true;
}

/** Every level's expression over the model's assignment variables; work already fixed counts as constants. */
export function levelExpressions(ctx: ModelContext, choices: Choice[], opts: ObjectiveOptions): LevelExpressions {
  const byId = new Map(ctx.shifts.map((s) => [s.id, s]));
  const zone = ctx.request.ordning.timezone;
  const prefs = new Map(ctx.request.assistants.map((a) => [a.id, a.preferences]));
  const wish = (a: string, s: ShiftInstance) => (prefs.get(a) ?? []).filter((p) => matches(p, s, zone)).reduce((t, p) => t + p.weight, 0);
  // Each contribution once, whether it is a choice (a variable) or fixed work of this ordning (a constant).
  const perAssignment = (value: (a: string, s: ShiftInstance) => number, keep: (s: ShiftInstance) => boolean = () => true): LevelExpression => {
    const terms: Terms = choices.filter((c) => keep(byId.get(c.shiftId)!)).map((c) => [c.v, value(c.assistantId, byId.get(c.shiftId)!)]);
    let constant = 0;
    for (const [a, items] of ctx.work) for (const s of fixedShifts(items, byId)) if (keep(s)) constant += value(a, s);
    return linear(terms.filter(([, k]) => k !== 0), constant);
  };
  const cost = (a: string, s: ShiftInstance) => (opts.hourCost?.get(a) ?? 0) * s.hours;
  // The shifts this model answers for: open ones and those with fixed work in them.
  const inModel = new Set([...choices.map((c) => c.shiftId), ...[...ctx.work.values()].flatMap((items) => fixedShifts(items, byId).map((s) => s.id))]);
  const coverage = (priority: ShiftInstance['priority']): LevelExpression => ({
    ...perAssignment((_, s) => s.hours, (s) => s.priority === priority),
    best: ctx.shifts.filter((s) => s.priority === priority && inModel.has(s.id)).reduce((t, s) => t + s.hours * s.headcount, 0),
  });
  const floorZero = (e: LevelExpression) => ({ ...e, best: Math.max(0, e.best ?? 0) });
  const fair = ctx.builder.forLevel('fairness', () => fairness(ctx, choices, opts, byId));
  return {
    'coverage-essential': coverage('essential'),
    'coverage-important': coverage('important'),
    'coverage-optional': coverage('optional'),
    fairness: floorZero(fair.fairness),
    'fairness-total': floorZero(fair['fairness-total']),
    spread: floorZero(ctx.builder.forLevel('spread', () => spread(ctx, choices, opts, byId))),
    wishes: perAssignment(wish),
    'pool-cost': floorZero(perAssignment(cost)),
  };
}

const fixedShifts = (items: WorkItem[], byId: Map<string, ShiftInstance>) =>
  items.filter((w) => w.v === undefined && byId.has(w.shiftId)).map((w) => byId.get(w.shiftId)!);

/**
 * Deviation from contract hours per team member, and z >= deviation / target for the largest
 * relative one. The contract's full-time week is the shorter one for an assistant who works nights or
 * every third Sunday (AML §10-4(4), rules/README.md): where that is open, one deviation per case,
 * each freed by big-M in the other case, so both stay linear and exact. Without `balance`
 * (javascript-lp-solver) nothing is modelled: both levels can only be read from a plan.
 */
function fairness(ctx: ModelContext, choices: Choice[], opts: ObjectiveOptions, byId: Map<string, ShiftInstance>): { fairness: LevelExpression; 'fairness-total': LevelExpression } {
  const { builder } = ctx;
  const shorter = ctx.params.fullTimeWeekHoursWithNight / ctx.params.fullTimeWeekHours;
  const planned = [...opts.targets].filter(([, t]) => t > 0).map(([a, full]) => {
    const hours: Terms = choices.filter((c) => c.assistantId === a).map((c) => [c.v, byId.get(c.shiftId)!.hours]);
    const fixed = fixedShifts(ctx.work.get(a) ?? [], byId).reduce((t, s) => t + s.hours, 0);
    const week = worksShorterWeek(ctx, a);
    const target = (x: number[]) => (indicatorValue(ctx, week, x) ? full * shorter : full);
    const relative = (x: number[]) => Math.abs(hours.reduce((t, [j, h]) => t + h * (x[j] ?? 0), fixed) - target(x)) / target(x);
    return { a, full, hours, fixed, week, target, relative };
  });
  const largest = (x: number[]) => Math.max(0, ...planned.map((p) => p.relative(x)));
  const max: LevelExpression = {
    terms: [], constant: 0, evaluate: largest,
    // The assistants at (or within a hair of) the largest relative deviation.
    setters: (x) => planned.filter((p) => p.relative(x) >= largest(x) - 1e-6).map((p) => p.a),
  };
  const total: LevelExpression = { terms: [], constant: 0, evaluate: (x) => planned.reduce((t, p) => t + p.relative(x) * p.target(x), 0) };
  if (planned.length === 0) return { fairness: max, 'fairness-total': total };
  const floor = fairnessFloor(planned, shorter, choices, byId);
  [max.best, total.best] = [floor.largest, floor.total];
  if (!opts.balance) return { fairness: { ...max, unmodelled: true }, 'fairness-total': { ...total, unmodelled: true } };
  const z = builder.continuous('fair:max-relative');
  for (const { a, full, hours, fixed, week } of planned) {
    hoursInUnits(ctx, a, hours, fixed);
    const cases: [number, [number, number] | null][] =
      typeof week === 'number' ? [[full, [week, 1]], [full * shorter, [week, -1]]] : [[week ? full * shorter : full, null]];
    const ds = cases.map(([target, when], k) => deviation(ctx, `${a}:${k}`, hours, fixed, target, z, when));
    ds.forEach((d) => total.terms.push([d, 1]));
    if (ds.length === 2) bothCases(ctx, a, hours, fixed, full, full * shorter, z, ds);
  }
  // The floor as cuts: every plan is at or above it, and the engine, which finds it late from the
  // LP alone (0.6 s of a 1 s solve for one 60 % assistant on 8 h shifts), can stop once a plan reaches it.
  if (floor.largest > 0) builder.row('fair:floor', [[z, 1]], floor.largest, Infinity);
  if (floor.total > 0) builder.row('fair:total-floor', total.terms, floor.total, Infinity);
  return { fairness: { ...max, terms: [[z, 1]] }, 'fairness-total': total };
}

/** One team member as the floors read them: full-time target, hours per choice, fixed hours, and which week applies. */
type Planned = { full: number; hours: Terms; fixed: number; week: number | boolean };

/**
 * How good fairness can be at best, whatever the plan, proven without the engine (which on 30
 * assistants over 12 weeks had reached no bound after 35 s). The team's hours at most (fixed work
 * plus the open places its members could take) against its least targets: every deviation adds up
 * to at least the difference (the total's floor). For the largest relative deviation z, each member
 * short of target needs at least t(1 - z) hours, in whole units of their shifts: the least z whose
 * rounded-up hours fit in the team's hours, and in each member's own, is its floor.
 */
export function fairnessFloor(
  planned: Planned[], shorter: number, choices: Choice[], byId: Map<string, ShiftInstance>,
): { largest: number; total: number } {
  const team = teamFloor(planned, shorter, choices, byId);
  const own = planned.map((p) => memberFloor(p, shorter));
  return { largest: Math.max(team.largest, ...own.map((f) => f.relative)), total: Math.max(team.total, own.reduce((t, f) => t + f.hours, 0)) };
}

/** The team's hours against its least targets, each member's need rounded up to whole shifts. */
function teamFloor(
  planned: Planned[], shorter: number, choices: Choice[], byId: Map<string, ShiftInstance>,
): { largest: number; total: number } {
  const sum = (xs: number[]) => xs.reduce((t, v) => t + v, 0);
  const members = planned.map((p) => ({
    least: p.week === false ? p.full : p.full * shorter,
    most: p.hours.reduce((t, [, h]) => t + h, p.fixed),
    unit: unitOf(p.hours, p.fixed),
  }));
  const places = sum([...new Set(choices.map((c) => c.shiftId))].map((id) => byId.get(id)!).map((s) => s.hours * s.headcount));
  const fixed = sum(planned.map((p) => p.fixed));
  const team = fixed + Math.min(sum(members.map((m) => m.most)) - fixed, places);
  const targets = sum(members.map((m) => m.least));
  if (team >= targets) {
    const mostTargets = sum(planned.map((p) => (p.week === true ? p.full * shorter : p.full)));
    const over = fixed - mostTargets;
    return over > 0 ? { largest: over / mostTargets, total: over } : { largest: 0, total: 0 };
  }
  // Hours a member needs at deviation z, rounded up to whole units (a hair of slack for rounding).
  const needs = (z: number) => members.map((m) => m.unit * Math.ceil((m.least * (1 - z)) / m.unit - 1e-9));
  const fits = (z: number) => {
    const n = needs(z);
    return sum(n) <= team + 1e-9 && n.every((h, i) => h <= members[i]!.most + 1e-9);
  };
  let [lo, hi] = [0, 1];
  if (fits(0)) return { largest: 0, total: targets - team };
  for (let k = 0; k < 50; k++) {
    const mid = (lo + hi) / 2;
    if (fits(mid)) hi = mid;
    else lo = mid;
  }
  return { largest: lo, total: targets - team };
}

/**
 * How near one member can come to target alone: their hours are whole units between their fixed
 * work and all they could take (five 8 h shifts come to 40 h, never 37.5). Under either target
 * where the shorter week may apply.
 */
function memberFloor(p: Planned, shorter: number): { relative: number; hours: number } {
  const unit = unitOf(p.hours, p.fixed);
  const most = p.hours.reduce((t, [, h]) => t + h, p.fixed);
  const targets = p.week === true ? [p.full * shorter] : p.week === false ? [p.full] : [p.full, p.full * shorter];
  const off = targets.map((t) => {
    const near = Math.min(Math.max(t, p.fixed), most);
    const candidates = [unit * Math.floor(near / unit + 1e-9), unit * Math.ceil(near / unit - 1e-9)].map((h) => Math.min(Math.max(h, p.fixed), most));
    const hours = Math.min(...candidates.map((h) => Math.abs(h - t)));
    return { hours, relative: hours / t };
  });
  // A hair below the exact distance: a floor must never rise above a plan that reaches it.
  return { hours: Math.max(0, Math.min(...off.map((o) => o.hours)) - 1e-9), relative: Math.max(0, Math.min(...off.map((o) => o.relative)) - 1e-12) };
}

/** The largest unit (hours) an assistant's planned hours are whole multiples of. */
function unitOf(hours: Terms, fixed: number): number {
  const minutes = [...hours.map(([, h]) => h), fixed].map((h) => Math.round(h * 60)).filter((m) => m > 0);
  return minutes.length ? minutes.reduce(gcd) / 60 : 1;
}

/**
 * Cuts that hold whichever target applies, so the LP bound does not fall with a fractional
 * indicator (the big-M rows alone let it switch both deviations off): over the longer target is
 * over both, under the shorter one is under both. Measured on target-12x6: bound 0.079 without them.
 */
function bothCases(ctx: ModelContext, a: string, hours: Terms, fixed: number, long: number, short: number, z: number, [d0, d1]: number[]): void {
  const { builder } = ctx;
  builder.row(`fair:over-both:${a}`, [...hours.map(([j, h]): [number, number] => [j, h / long]), [z, -1]], -Infinity, 1 - fixed / long);
  builder.row(`fair:under-both:${a}`, [...hours.map(([j, h]): [number, number] => [j, h / short]), [z, 1]], 1 - fixed / short, Infinity);
  builder.row(`fair:total-over:${a}`, [...hours, [d0!, -1], [d1!, -1]], -Infinity, long - fixed);
  builder.row(`fair:total-under:${a}`, [...hours, [d0!, 1], [d1!, 1]], short - fixed, Infinity);
}

/**
 * d >= |planned - target| and d / target <= z; with `when` = [r, +1] the rows hold only where r = 0,
 * with [r, -1] only where r = 1 (big-M: the largest deviation the assistant's hours allow).
 */
function deviation(ctx: ModelContext, name: string, hours: Terms, fixed: number, target: number, z: number, when: [number, number] | null): number {
  const { builder } = ctx;
  const d = builder.continuous(`fair:dev:${name}`);
  const most = hours.reduce((t, [, h]) => t + h, fixed);
  const m = Math.max(most - target, target - fixed, 0);
  // Off in the other case: coefficient on r, and the bound shifted where the case is r = 1.
  const [r, sign] = when ?? [undefined, 0];
  const free: [number, number][] = r === undefined ? [] : [[r, -sign * m]];
  const shift = sign < 0 ? m : 0;
  builder.row(`fair:over:${name}`, [...hours, [d, -1], ...free], -Infinity, target - fixed + shift);
  builder.row(`fair:under:${name}`, [...hours, [d, 1], ...free.map(([j, c]): [number, number] => [j, -c])], target - fixed - shift, Infinity);
  builder.row(`fair:rel:${name}`, [[d, 1 / target], [z, -1]], -Infinity, 0);
  return d;
}

/**
 * An assistant's planned hours as one integer in the largest unit all their shifts are multiples of
 * (8 h for a turnus of 8 h shifts). It changes no plan, but lets branch-and-bound split on total hours
 * directly, which is what proves a fairness bound: the LP alone may put anyone exactly on target.
 */
function hoursInUnits(ctx: ModelContext, a: string, hours: Terms, fixed: number): void {
  // No shift and no fixed work with minutes: nothing to count in units.
  if (hours.length < 2 || [...hours.map(([, h]) => h), fixed].every((h) => Math.round(h * 60) === 0)) return;
  const unit = unitOf(hours, fixed);
  const total = hours.reduce((t, [, h]) => t + h, fixed) / unit;
  const n = ctx.builder.variable({ name: `fair:units:${a}`, lb: 0, ub: Math.round(total), integer: true, cost: 0 });
  ctx.builder.row(`fair:units:${a}`, [...hours.map(([v, h]): [number, number] => [v, h / unit]), [n, -1]], -fixed / unit, -fixed / unit);
}

const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));

/** A count per team member: terms over variables, a constant from fixed work, and its value from assignments. */
interface Count { terms: Terms; constant: number; evaluate(x: number[]): number }

/** Range (most minus fewest) of nights, weekends and Sundays worked across the team, added up. Modelled only with `balance`. */
function spread(ctx: ModelContext, choices: Choice[], opts: ObjectiveOptions, byId: Map<string, ShiftInstance>): LevelExpression {
  const team = [...opts.targets].filter(([, t]) => t > 0).map(([a]) => a);
  const zone = ctx.request.ordning.timezone;
  const isNight = (s: { start: number; end: number }) => isNightShift(s.start, s.end, zone, ctx.params.nightStart, ctx.params.nightEnd);
  const nights = (a: string): Count => {
    const terms: Terms = choices.filter((c) => c.assistantId === a && isNight(byId.get(c.shiftId)!)).map((c) => [c.v, 1]);
    const constant = fixedShifts(ctx.work.get(a) ?? [], byId).filter(isNight).length;
    return { terms, constant, evaluate: (x) => terms.reduce((t, [j]) => t + (x[j] ?? 0), constant) };
  };
  const weekendSpans = weekends(ctx.window.start, ctx.window.end, zone);
  const sundaySpans = ctx.sundayPeriods.filter((p) => p.end > ctx.window.start && p.start < ctx.window.end);
  const kinds = [nights, (a: string) => spansWorked(ctx, a, weekendSpans, opts.balance), (a: string) => spansWorked(ctx, a, sundaySpans, opts.balance)];
  const terms: Terms = [];
  const ranges: ((x: number[]) => number)[] = [];
  let constant = 0;
  kinds.forEach((kind, k) => {
    const counts = team.map((a) => [a, kind(a)] as const);
    const range = (x: number[]) => {
      const values = counts.map(([, c]) => c.evaluate(x));
      return values.length ? Math.max(...values) - Math.min(...values) : 0;
    };
    ranges.push(range);
    if (!opts.balance) return;
    if (counts.every(([, c]) => c.terms.length === 0)) {
      constant += range([]); // fixed work only: part of the value, nothing to choose
      return;
    }
    const hi = ctx.builder.continuous(`spread:${k}:max`);
    const lo = ctx.builder.continuous(`spread:${k}:min`);
    for (const [a, c] of counts) {
      ctx.builder.row(`spread:${k}:hi:${a}`, [...c.terms, [hi, -1]], -Infinity, -c.constant);
      ctx.builder.row(`spread:${k}:lo:${a}`, [...c.terms, [lo, -1]], -c.constant, Infinity);
    }
    terms.push([hi, 1], [lo, -1]);
  });
  const evaluate = (x: number[]) => ranges.reduce((t, r) => t + r(x), 0);
  return opts.balance ? { terms, constant, evaluate } : { terms: [], constant: 0, evaluate, unmodelled: true };
}

/** How many of the spans an assistant works in; as a model term, exact indicators (solver/model/indicators.ts). */
function spansWorked(ctx: ModelContext, a: string, spans: { start: number; end: number; label: string }[], model: boolean): Count {
  const items = ctx.work.get(a) ?? [];
  const on = spans.map((p) => {
    const inside = items.filter((w) => w.end > p.start && w.start < p.end);
    return { fixed: inside.some((w) => w.v === undefined), xs: inside.filter((w) => w.v !== undefined).map((w) => w.v!), p };
  });
  const constant = on.filter((o) => o.fixed).length;
  const terms: Terms = model ? on.filter((o) => !o.fixed && o.xs.length > 0).map((o) => [worksDuring(ctx, a, o.p) as number, 1]) : [];
  return { terms, constant, evaluate: (x) => constant + on.filter((o) => !o.fixed && o.xs.some((j) => (x[j] ?? 0) > 0.5)).length };
}
