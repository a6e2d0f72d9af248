import { calendarWeeks, isNightShift, sundayHolidayPeriods } from './calendar.ts';
import { checkPlan } from './check/index.ts';
import { diagnose } from './diagnostics.ts';
import { pickEngine, solveMilp } from './engines/index.ts';
import type { EngineName, MilpSolution } from './engines/types.ts';
import { type Assignment, buildModel } from './model/build.ts';
import type { WorkItem } from './model/context.ts';
import { normalise, period, type ShiftInstance } from './normalise.ts';
import type { ScheduleRequest } from './request.ts';
import type { ExternalBooking, Outcome, PlannedShift, ProgressReport, ScheduleResult, SolverFigures } from './result.ts';
import { ruleParameters } from './rules/profiles.ts';
import type { RuleParameters } from './rules/parameters.ts';
import { explainGaps } from './explain.ts';
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

/** One model over `open` shifts (all when undefined), with `keep` as fixed work. */
async function attempt(set: Setting, opts: PlanOptions, keep: Assignment[], engineWanted: EngineName | 'auto', timeLimitMs: number, open?: Set<string>, window = set.span, share = 1): Promise<Attempt> {
  const base = { request: set.request, params: set.params, shifts: set.shifts, fixed: fixedWork(set, opts.externalBookings ?? [], keep), open, window, span: set.span, hasNightWork: set.hasNightWork, sundayPeriods: set.sundayPeriods };
  const targets = new Map([...set.targets].map(([a, t]) => [a, t * share]));
  let built = buildModel({ ...base, objective: { balance: true, targets, hourCost: opts.hourCost } });
  const engine = engineWanted === 'auto' ? pickEngine(built.model) : engineWanted;
  if (engine === 'jslp') built = buildModel({ ...base, objective: { balance: false, targets, hourCost: opts.hourCost } });
  const solution = await solveMilp(built.model, { engine, timeLimitMs, relativeGap: set.request.solver.relativeGap });
  const chosen = solution.values ? built.choices.filter((c) => solution.values![c.v]! > 0.5).map(({ assistantId, shiftId }) => ({ assistantId, shiftId })) : [];
  return { assignments: [...keep, ...chosen], solution, variables: built.model.variables.length, constraints: built.model.constraints.length, engine };
}

/** A week at a time, earlier weeks fixed: keeps each model small enough for any engine. */
async function rolling(set: Setting, opts: PlanOptions, keep: Assignment[], deadline: number, report: ProgressReport): Promise<Attempt> {
  const weeks = calendarWeeks(set.request.period.start, set.request.period.weeks, set.request.ordning.timezone);
  let decided = keep;
  let last: Attempt | undefined;
  let variables = 0;
  let constraints = 0;
  const engine = set.request.solver.engine === 'jslp' ? 'jslp' : 'highs';
  for (const [k, week] of weeks.entries()) {
    const open = new Set(set.shifts.filter((s) => s.start >= week.start && s.start < week.end).map((s) => s.id));
    const limit = Math.max(200, (deadline - Date.now()) / (weeks.length - k));
    const result = await attempt(set, opts, decided, engine, limit, open, { start: week.start, end: week.end }, (k + 1) / weeks.length);
    variables += result.variables;
    constraints += result.constraints;
    if (result.solution.values) decided = result.assignments;
    last = result;
    report(0.3 + (0.5 * (k + 1)) / weeks.length, 'solve');
  }
  return { assignments: decided, solution: { ...last!.solution, status: 'feasible', bound: null, gap: null }, variables, constraints, engine: `${engine}+rolling` };
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

  let best: Attempt | undefined;
  if (!options.forceRolling) {
    const share = engine === 'jslp' ? 0.3 : 0.6; // jslp may stall; leave the windows time to work
    best = await attempt(set, options, options.keep ?? [], engine, totalMs * share);
    if (best.solution.status === 'infeasible') return infeasible(set, options, best, started);
  }
  report(0.6, 'solve');
  if (!best?.solution.values) best = await rolling(set, options, options.keep ?? [], deadline, report);
  const outcome: Outcome = best.solution.status === 'optimal' ? 'optimal' : 'feasible';
  return finish(set, options, best, outcome, started, report);
}

function finish(set: Setting, options: PlanOptions, best: Attempt, outcome: Outcome, started: number, report: ProgressReport): ScheduleResult {
  const poolIds = options.poolIds ?? new Set<string>();
  // With no solution at all the empty plan is still legal: keep only the fixed part.
  const assignments = best.solution.values ? best.assignments : options.keep ?? [];
  const shifts = plannedShifts(set, assignments, poolIds);
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
  const empty: Attempt = { ...best, solution: { ...best.solution, values: null, objective: null, bound: null, gap: null } };
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
