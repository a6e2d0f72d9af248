import { calendarWeeks } from './calendar.ts';
import { checkPlan } from './check/index.ts';
import { diagnose } from './diagnostics.ts';
import type { EngineName, MilpModel } from './engines/types.ts';
import { type Assignment, buildModel, type BuiltModel } from './model/build.ts';
import { LEVELS, type LevelReport } from './levels.ts';
import { solveLevels, unsolvedLevels } from './solve-levels.ts';
import type { WorkItem } from './model/context.ts';
import type { ScheduleRequest } from './request.ts';
import { type Setting, setting } from './setting.ts';
import { withDisplayFields } from './display.ts';
import type { ExternalBooking, Outcome, PlannedShift, ProgressReport, ScheduleResult, SolverFigures } from './result.ts';
import { explainGaps } from './explain.ts';
import { greedyPlan } from './greedy.ts';
import { round2 } from './budget.ts';
import { ms } from './check/input.ts';
import { elsewhereId, limitsOfBooking, restNextTo, restOfBooking } from './rules/rest-elsewhere.ts';
import { appliedOverrides } from './rules/legal-limits.ts';
import { append } from './lists.ts';

/**
 * The reason a `stop` signal carries when it ends the search at the time limit (a watchdog around
 * the solve, for engines that overrun it): the plan is then as good as the limit allowed, not cancelled.
 */
export const TIME_LIMIT_REACHED = 'time-limit-reached';

export interface PlanOptions {
  onProgress?: ProgressReport;
  /** Pool members' bookings in other ordninger: fixed work for every rule. */
  externalBookings?: ExternalBooking[];
  /** Assignments the plan must keep as they are (re-plans: everything outside the sick leave). */
  keep?: Assignment[];
  /** Assistants drawn from the shared pool: they get no contract target and cost more per hour. */
  poolIds?: Set<string>;
  /** Extra cost per hour per assistant (re-plans prefer the team and people the user knows). */
  hourCost?: Map<string, number>;
  /** Only these shifts get new assistants (re-plans: the sick assistant's freed shifts). */
  open?: Set<string>;
  /** Testing and benchmarks: skip the monolithic model and go straight to week-by-week windows. */
  forceRolling?: boolean;
  /** Cancels the search: the best plan found so far is checked and answered, its open levels `not-solved`. */
  stop?: AbortSignal;
  /**
   * Order the hours of assistants the model cannot tell apart (solver/model/symmetry.ts). Default
   * on: measured (bench/symmetry.ts) it found better plans where the time limit ends a level
   * (12 alike: fairness 0.2207 against 0.23; 15 alike: spread 2 against 10), cost a proof 20 %
   * more time on a small one (6 alike: 8.1 s against 6.6-7.0 s) and changed nothing on kommune-30x12.
   */
  breakSymmetry?: boolean;
}

const fixedWork = (set: Setting, external: ExternalBooking[], keep: Assignment[]): Map<string, WorkItem[]> => {
  const out = new Map<string, WorkItem[]>();
  const add = (a: string, w: WorkItem) => append(out, a, w);
  for (const b of external) add(b.assistantId, { shiftId: elsewhereId(b), start: ms(b.start), end: ms(b.end), kind: b.kind, rest: restNextTo(set.params, restOfBooking(b)), limits: limitsOfBooking(b) });
  const byId = new Map(set.shifts.map((s) => [s.id, s]));
  for (const k of keep) {
    const s = byId.get(k.shiftId);
    if (s) add(k.assistantId, { shiftId: s.id, start: s.start, end: s.end, kind: s.kind });
  }
  return out;
};

/** A model over the open shifts, with `keep` as fixed work. */
function build(set: Setting, opts: PlanOptions, keep: Assignment[], part: { open?: Set<string>; window?: { start: number; end: number }; share?: number; balance: boolean }): BuiltModel {
  const targets = new Map([...set.targets].map(([a, t]) => [a, t * (part.share ?? 1)]));
  return buildModel({
    request: set.request, params: set.params, shifts: set.shifts, fixed: fixedWork(set, opts.externalBookings ?? [], keep),
    open: part.open, window: part.window ?? set.span, span: set.span, sundayPeriods: set.sundayPeriods,
    objective: { balance: part.balance, targets, hourCost: opts.hourCost }, breakSymmetry: opts.breakSymmetry ?? true,
  });
}

/**
 * A week at a time, earlier weeks fixed, each week by the linear levels: a legal plan from models
 * small enough for any engine, where the whole-period levels cannot run (javascript-lp-solver on a
 * large ordning) or when asked to (tests, bench). It proves nothing about the whole period.
 */
async function weekByWeek(set: Setting, opts: PlanOptions, keep: Assignment[], engine: EngineName, deadline: number, report: ProgressReport): Promise<Assignment[]> {
  const weeks = calendarWeeks(set.request.period.start, set.request.period.weeks, set.request.ordning.timezone);
  let decided = keep;
  for (const [k, week] of weeks.entries()) {
    const open = new Set(set.shifts.filter((s) => s.start >= week.start && s.start < week.end && (!opts.open || opts.open.has(s.id))).map((s) => s.id));
    const built = build(set, opts, decided, { open, window: { start: week.start, end: week.end }, share: (k + 1) / weeks.length, balance: engine === 'highs' });
    const windowMs = Math.max(200, (deadline - Date.now()) / (weeks.length - k));
    const start = greedyPlan(set, decided, opts.externalBookings ?? [], open);
    const solved = await solveLevels({ built, start, engine, relativeGap: set.request.solver.relativeGap, deadline: Date.now() + windowMs, totalMs: windowMs, levels: WINDOW_LEVELS, stop: opts.stop });
    decided = [...decided, ...solved.assignments];
    report(0.1 + (0.7 * (k + 1)) / weeks.length, 'week-by-week');
  }
  return decided.filter((a) => !keep.includes(a));
}

/** The linear levels: what a week's window optimises on the way to a start plan. */
const WINDOW_LEVELS = LEVELS.filter((l) => !('minMax' in l));

/** javascript-lp-solver stalls on larger whole-period models (shared/solver-engines.md): it gets weeks instead. */
const JSLP_WHOLE_MAX_VARIABLES = 150;

function plannedShifts(set: Setting, assignments: Assignment[], poolIds: Set<string>): PlannedShift[] {
  const on = new Map<string, string[]>();
  for (const a of assignments) append(on, a.shiftId, a.assistantId);
  return set.shifts.map((s) => {
    const ids = [...new Set(on.get(s.id) ?? [])].sort();
    return { id: s.id, needId: s.needId, start: s.startIso, end: s.endIso, hours: round2(s.hours), kind: s.kind, assistantIds: ids, sources: ids.map((id) => (poolIds.has(id) ? 'pool' : 'team')) };
  });
}

/**
 * Request in, checked plan with diagnostics out. Never throws for a hard request: it says why instead.
 * The strategy: a legal first plan quickly (greedy), then the score's levels over the whole period
 * from that plan (solver/levels.ts), each proven where the time limit allows.
 */
export async function planSchedule(request: ScheduleRequest, options: PlanOptions = {}): Promise<ScheduleResult> {
  return withDisplayFields(await solvePlan(request, options), request);
}

async function solvePlan(request: ScheduleRequest, options: PlanOptions): Promise<ScheduleResult> {
  const started = Date.now();
  const report = options.onProgress ?? (() => {});
  report(0.05, 'normalise');
  const set = setting(request, options.poolIds);
  const totalMs = request.solver.timeLimitSeconds * 1000;
  const deadline = started + totalMs;
  const engine: EngineName = request.solver.engine === 'jslp' ? 'jslp' : 'highs';
  const keep = options.keep ?? [];
  const whole = build(set, options, keep, { open: options.open, balance: engine === 'highs' });
  report(0.1, 'build');

  if (options.forceRolling || (engine === 'jslp' && whole.model.variables.length > JSLP_WHOLE_MAX_VARIABLES)) {
    const plan = await weekByWeek(set, options, keep, engine, deadline, report);
    return finish(set, options, { assignments: [...keep, ...plan], levels: unsolvedLevels(whole, plan), engine: `${engine}+rolling`, model: whole.model }, started, report);
  }
  const solved = await solveLevels({
    built: whole, start: greedyPlan(set, keep, options.externalBookings ?? [], options.open), engine, relativeGap: request.solver.relativeGap, deadline, totalMs,
    onLevel: (name, k, n) => report(0.4 + (0.45 * k) / n, `solve:${name}`),
    stop: options.stop,
  });
  if (solved.infeasible) return infeasible(set, options, whole, started);
  return finish(set, options, { assignments: [...keep, ...solved.assignments], levels: solved.levels, engine, model: whole.model }, started, report);
}

interface Answer { assignments: Assignment[]; levels: LevelReport[]; engine: string; model: MilpModel }

function finish(set: Setting, options: PlanOptions, best: Answer, started: number, report: ProgressReport, outcome?: Outcome): ScheduleResult {
  const poolIds = options.poolIds ?? new Set<string>();
  const shifts = plannedShifts(set, best.assignments, poolIds);
  report(0.85, 'check');
  const violations = checkPlan({ request: set.request, params: set.params, shifts, externalBookings: options.externalBookings });
  const gaps = explainGaps(set, shifts, options.externalBookings ?? [], best.levels);
  report(0.95, 'diagnose');
  const teamIds = new Set([...set.targets.keys()]);
  const d = diagnose({ request: set.request, params: set.params, shifts, droppedShiftIds: gaps.dropped, teamIds });
  // The level that decides the plan's standing: the first one not proven, or the last one.
  const open = best.levels.find((l) => l.status !== 'optimal') ?? best.levels.at(-1);
  const levels = best.levels.map((l) => ({ ...l, value: round(l.value, l.unit), bound: l.bound === null ? null : round(l.bound, l.unit), gap: l.gap === null ? null : Math.round(l.gap * 1e4) / 1e4 }));
  const solver: SolverFigures = {
    engine: best.engine,
    objective: open ? round(open.value, open.unit) : null,
    bound: open?.bound == null ? null : round(open.bound, open.unit),
    gap: open?.gap == null ? null : Math.round(open.gap * 1e4) / 1e4,
    timeMs: Date.now() - started,
    variables: best.model.variables.length,
    constraints: best.model.constraints.length,
    levels,
    ...(options.stop?.aborted && options.stop.reason !== TIME_LIMIT_REACHED ? { cancelled: true as const } : {}),
  };
  report(1, 'done');
  return {
    version: 1,
    outcome: outcome ?? (best.levels.every((l) => l.status === 'optimal') ? 'optimal' : 'feasible'),
    shifts,
    unfilled: gaps.unfilled,
    assistants: d.assistants,
    budget: d.budget,
    compliance: { profile: set.request.rules.profile, parameters: set.params, overrides: appliedOverrides(set.request.rules.profile, set.request.rules.overrides), violations },
    fairness: d.fairness,
    solver,
  };
}

/** Hours to 2 decimals (the contract's rule); ratios and counts to 4. */
const round = (x: number, unit: string) => (unit === 'hours' ? round2(x) : Math.round(x * 1e4) / 1e4);

/** Only fixed assignments (pins) can make a request impossible: say which and why. */
function infeasible(set: Setting, options: PlanOptions, whole: BuiltModel, started: number): ScheduleResult {
  const keep = options.keep ?? [];
  const empty: Answer = { assignments: keep, levels: unsolvedLevels(whole, []), engine: set.request.solver.engine === 'jslp' ? 'jslp' : 'highs', model: whole.model };
  const result = finish(set, options, empty, started, () => {}, 'infeasible');
  const pinnedOnly = plannedShifts(set, set.request.pinned.map((p) => ({ assistantId: p.assistantId, shiftId: `${p.needId}@${p.date}` })), new Set());
  const why = checkPlan({ request: set.request, params: set.params, shifts: pinnedOnly, externalBookings: options.externalBookings }).filter((v) => v.rule !== 'pinned');
  return {
    ...result,
    reasons: why.length
      ? why.map((v) => `pinned assignments break ${v.rule}${v.assistantId ? ` for ${v.assistantId}` : ''}: ${v.detail}`)
      : ['the pinned assignments cannot all be kept within the rules'],
  };
}
