import { calendarWeeks, isNightShift, sundayHolidayPeriods } from './calendar.ts';
import { checkPlan } from './check/index.ts';
import { diagnose } from './diagnostics.ts';
import { pickEngine, solveMilp } from './engines/index.ts';
import type { EngineName, MilpModel, MilpSolution, SolveOptions } from './engines/types.ts';
import { type Assignment, buildModel } from './model/build.ts';
import type { WorkItem } from './model/context.ts';
import { normalise, period, type ShiftInstance } from './normalise.ts';
import type { ScheduleRequest } from './request.ts';
import type { ExternalBooking, Outcome, PlannedShift, ProgressReport, ScheduleResult, SolverFigures } from './result.ts';
import { ruleParameters } from './rules/profiles.ts';
import type { RuleParameters } from './rules/parameters.ts';
import { explainGaps } from './explain.ts';
import { greedyPlan } from './greedy.ts';
import { round2 } from './budget.ts';
import { ms } from './check/input.ts';

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
}

/** Everything the steps share about one request. */
export interface Setting {
  request: ScheduleRequest;
  params: RuleParameters;
  shifts: ShiftInstance[];
  span: { start: number; end: number };
  hasNightWork: boolean;
  sundayPeriods: { start: number; end: number; label: string }[];
  targets: Map<string, number>;
}

export function setting(request: ScheduleRequest, poolIds = new Set<string>()): Setting {
  const params = ruleParameters(request.rules.profile, request.rules.overrides);
  const shifts = normalise(request);
  const span = period(request);
  const zone = request.ordning.timezone;
  const hasNightWork = shifts.some((s) => isNightShift(s.start, s.end, zone, params.nightStart, params.nightEnd));
  const fullTime = hasNightWork ? params.fullTimeWeekHoursWithNight : params.fullTimeWeekHours;
  const targets = new Map(
    request.assistants.filter((a) => !poolIds.has(a.id)).map((a) => [a.id, (a.positionPercent / 100) * fullTime * request.period.weeks]),
  );
  return { request, params, shifts, span, hasNightWork, sundayPeriods: sundayHolidayPeriods(span.start, span.end, zone), targets };
}

const fixedWork = (set: Setting, external: ExternalBooking[], keep: Assignment[]): Map<string, WorkItem[]> => {
  const out = new Map<string, WorkItem[]>();
  const add = (a: string, w: WorkItem) => out.set(a, [...(out.get(a) ?? []), w]);
  for (const b of external) add(b.assistantId, { shiftId: `${b.ordningId}/${b.shiftId}`, start: ms(b.start), end: ms(b.end), kind: b.kind });
  const byId = new Map(set.shifts.map((s) => [s.id, s]));
  for (const k of keep) {
    const s = byId.get(k.shiftId);
    if (s) add(k.assistantId, { shiftId: s.id, start: s.start, end: s.end, kind: s.kind });
  }
  return out;
};

interface Attempt { assignments: Assignment[]; solution: MilpSolution; variables: number; constraints: number; engine: string }

interface AttemptSpec {
  keep: Assignment[];
  engine: EngineName | 'auto';
  timeLimitMs: number;
  /** Shifts this model decides (all when absent) and the time span it answers for. */
  open?: Set<string>;
  window?: { start: number; end: number };
  /** Share of the contract targets due by the end of the window. */
  share?: number;
  /** Plan to start from; a greedy plan when absent. */
  seed?: Assignment[];
}

/** One model over the open shifts, with `keep` as fixed work, started from a known plan. */
async function attempt(set: Setting, opts: PlanOptions, spec: AttemptSpec): Promise<Attempt> {
  const t0 = Date.now();
  const { keep, open } = spec;
  const base = { request: set.request, params: set.params, shifts: set.shifts, fixed: fixedWork(set, opts.externalBookings ?? [], keep), open, window: spec.window ?? set.span, span: set.span, hasNightWork: set.hasNightWork, sundayPeriods: set.sundayPeriods };
  const targets = new Map([...set.targets].map(([a, t]) => [a, t * (spec.share ?? 1)]));
  let built = buildModel({ ...base, objective: { balance: true, targets, hourCost: opts.hourCost } });
  const engine = spec.engine === 'auto' ? pickEngine(built.model) : spec.engine;
  if (engine === 'jslp') built = buildModel({ ...base, objective: { balance: false, targets, hourCost: opts.hourCost } });
  const seed = new Set((spec.seed ?? greedyPlan(set, keep, opts.externalBookings ?? [], open)).map((a) => `${a.assistantId}|${a.shiftId}`));
  const partial = { indices: built.choices.map((c) => c.v), values: built.choices.map((c) => (seed.has(`${c.assistantId}|${c.shiftId}`) ? 1 : 0)) };
  const start = engine === 'highs' ? await completeStart(built.model, partial, spec.timeLimitMs * 0.2) : undefined;
  const solution = await solveMilp(built.model, { engine, timeLimitMs: spec.timeLimitMs - (Date.now() - t0), relativeGap: set.request.solver.relativeGap, start });
  const chosen = solution.values ? built.choices.filter((c) => solution.values![c.v]! > 0.5).map(({ assistantId, shiftId }) => ({ assistantId, shiftId })) : [];
  return { assignments: [...keep, ...chosen], solution, variables: built.model.variables.length, constraints: built.model.constraints.length, engine };
}

/**
 * HiGHS takes a start for every variable best: fix the assignments of a known plan and let it
 * fill in the model's helper variables (rest picks, indicators, deviations), then start from all.
 */
async function completeStart(model: MilpModel, partial: { indices: number[]; values: number[] }, timeLimitMs: number): Promise<SolveOptions['start']> {
  const variables = model.variables.map((v) => ({ ...v }));
  partial.indices.forEach((j, k) => {
    const v = variables[j]!;
    const x = partial.values[k]!;
    if (x >= v.lb && x <= v.ub) v.lb = v.ub = x; // a start that breaks a bound (a pin) is left to HiGHS
  });
  const filled = await solveMilp({ ...model, variables }, { engine: 'highs', timeLimitMs: Math.max(200, timeLimitMs), relativeGap: 0.05 });
  if (!filled.values) return partial;
  return { indices: filled.values.map((_, j) => j), values: filled.values };
}

/** A week at a time, earlier weeks fixed: keeps each model small enough for any engine. */
async function rolling(set: Setting, opts: PlanOptions, keep: Assignment[], deadline: number, report: ProgressReport): Promise<Attempt> {
  const weeks = calendarWeeks(set.request.period.start, set.request.period.weeks, set.request.ordning.timezone);
  let decided = keep;
  let solution: MilpSolution | undefined;
  let variables = 0;
  let constraints = 0;
  const engine = set.request.solver.engine === 'jslp' ? 'jslp' : 'highs';
  for (const [k, week] of weeks.entries()) {
    const open = new Set(set.shifts.filter((s) => s.start >= week.start && s.start < week.end && (!opts.open || opts.open.has(s.id))).map((s) => s.id));
    const timeLimitMs = Math.max(200, (deadline - Date.now()) / (weeks.length - k));
    const result = await attempt(set, opts, { keep: decided, engine, timeLimitMs, open, window: { start: week.start, end: week.end }, share: (k + 1) / weeks.length });
    variables += result.variables;
    constraints += result.constraints;
    // A window without a solution keeps its greedy plan, which the checker already accepted.
    decided = result.solution.values ? result.assignments : [...decided, ...greedyPlan(set, decided, opts.externalBookings ?? [], open)];
    solution = result.solution;
    report(0.3 + (0.4 * (k + 1)) / weeks.length, 'solve');
  }
  return { assignments: decided, solution: { ...solution!, status: 'feasible', objective: null, bound: null, gap: null }, variables, constraints, engine: `${engine}+rolling` };
}

/** Without a common objective, compare plans by the hours they cover. */
function windowsBetter(whole: Attempt, windows: Attempt): boolean {
  return windows.assignments.length > whole.assignments.length;
}

function plannedShifts(set: Setting, assignments: Assignment[], poolIds: Set<string>): PlannedShift[] {
  const on = new Map<string, string[]>();
  for (const a of assignments) on.set(a.shiftId, [...(on.get(a.shiftId) ?? []), a.assistantId]);
  return set.shifts.map((s) => {
    const ids = [...new Set(on.get(s.id) ?? [])].sort();
    return { id: s.id, needId: s.needId, start: s.startIso, end: s.endIso, hours: round2(s.hours), kind: s.kind, assistantIds: ids, sources: ids.map((id) => (poolIds.has(id) ? 'pool' : 'team')) };
  });
}

/** Request in, checked plan with diagnostics out. Never throws for a hard request: it says why instead. */
export async function planSchedule(request: ScheduleRequest, options: PlanOptions = {}): Promise<ScheduleResult> {
  const started = Date.now();
  const report = options.onProgress ?? (() => {});
  const poolIds = options.poolIds ?? new Set<string>();
  report(0.05, 'normalise');
  const set = setting(request, poolIds);
  const totalMs = request.solver.timeLimitSeconds * 1000;
  const deadline = started + totalMs;
  const engine = request.solver.engine;
  report(0.1, 'build');

  const keep = options.keep ?? [];
  // 1. The whole period at once: small and medium plans end here, proven optimal.
  let best: Attempt | undefined;
  if (!options.forceRolling) {
    const share = engine === 'jslp' ? 0.3 : 0.35; // jslp may stall; leave the windows time to work
    best = await attempt(set, options, { keep, engine, timeLimitMs: totalMs * share, open: options.open });
    if (best.solution.status === 'infeasible') return infeasible(set, options, best, started);
  }
  // 2. Week by week, which finds good plans fast where the whole model is slow to.
  if (best?.solution.status !== 'optimal') {
    report(0.3, 'solve');
    const windows = await rolling(set, options, keep, started + totalMs * (options.forceRolling ? 1 : 0.7), report);
    // 3. HiGHS polishes the week-by-week plan over the whole period and proves a bound for it.
    const polished = options.forceRolling || engine === 'jslp' || Date.now() > deadline - 300 ? undefined
      : await attempt(set, options, { keep, engine: 'highs', timeLimitMs: deadline - Date.now(), seed: windows.assignments, open: options.open });
    best = polished?.solution.values ? { ...polished, engine: 'highs+rolling' } : best?.solution.values && !windowsBetter(best, windows) ? best : windows;
  }
  const outcome: Outcome = best.solution.status === 'optimal' ? 'optimal' : 'feasible';
  return finish(set, options, best, outcome, started, report);
}

function finish(set: Setting, options: PlanOptions, best: Attempt, outcome: Outcome, started: number, report: ProgressReport): ScheduleResult {
  const poolIds = options.poolIds ?? new Set<string>();
  const shifts = plannedShifts(set, best.assignments, poolIds);
  report(0.85, 'check');
  const violations = checkPlan({ request: set.request, params: set.params, shifts, externalBookings: options.externalBookings });
  const gaps = explainGaps(set, shifts, options.externalBookings ?? []);
  report(0.95, 'diagnose');
  const teamIds = new Set([...set.targets.keys()]);
  const d = diagnose({ request: set.request, params: set.params, shifts, droppedShiftIds: gaps.dropped, teamIds });
  const solver: SolverFigures = {
    engine: best.engine,
    objective: best.solution.objective === null ? null : round2(best.solution.objective),
    bound: best.solution.bound === null ? null : round2(best.solution.bound),
    gap: best.solution.gap === null ? null : Math.round(best.solution.gap * 1e4) / 1e4,
    timeMs: Date.now() - started,
    variables: best.variables,
    constraints: best.constraints,
  };
  report(1, 'done');
  return {
    version: 1,
    outcome,
    shifts,
    unfilled: gaps.unfilled,
    assistants: d.assistants,
    budget: d.budget,
    compliance: { profile: set.request.rules.profile, parameters: set.params, violations },
    fairness: d.fairness,
    solver,
  };
}

/** Only fixed assignments (pins) can make a request impossible: say which and why. */
function infeasible(set: Setting, options: PlanOptions, best: Attempt, started: number): ScheduleResult {
  const empty: Attempt = { ...best, assignments: options.keep ?? [], solution: { ...best.solution, values: null, objective: null, bound: null, gap: null } };
  const result = finish(set, { ...options, keep: options.keep ?? [] }, empty, 'infeasible', started, () => {});
  const pinnedOnly = plannedShifts(set, set.request.pinned.map((p) => ({ assistantId: p.assistantId, shiftId: `${p.needId}@${p.date}` })), new Set());
  const why = checkPlan({ request: set.request, params: set.params, shifts: pinnedOnly, externalBookings: options.externalBookings }).filter((v) => v.rule !== 'pinned');
  return {
    ...result,
    reasons: why.length
      ? why.map((v) => `pinned assignments break ${v.rule}${v.assistantId ? ` for ${v.assistantId}` : ''}: ${v.detail}`)
      : ['the pinned assignments cannot all be kept within the rules'],
  };
}
