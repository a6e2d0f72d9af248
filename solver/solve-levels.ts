import { solveMilp } from './engines/index.ts';
import { noWorse } from './engines/sub-model.ts';
import type { EngineName, MilpConstraint, MilpModel, MilpSolution, SolveOptions } from './engines/types.ts';
import { improveByNeighbourhoods } from './neighbourhoods.ts';
import { LEVELS, RESERVE_PER_LEVEL, type LevelName, type LevelReport, type LevelSpec } from './levels.ts';
import { type Assignment, assignmentsOf, type BuiltModel, valuesOf } from './model/build.ts';
import type { LevelExpression } from './model/objective.ts';

export interface LevelSolve {
  built: BuiltModel;
  /** A legal plan to start from (greedy, week by week, or the previous version). */
  start: Assignment[];
  engine: EngineName;
  relativeGap: number;
  deadline: number;
  /** The request's whole time limit: each later level keeps a share of it in reserve. */
  totalMs: number;
  levels?: readonly LevelSpec[];
  onLevel?: (name: LevelName, done: number, of: number) => void;
  /** Cancels the search: the plan found so far stands, the levels not reached are `not-solved`. */
  stop?: AbortSignal;
}

export interface LevelResult {
  /** The plan's assignments in the model's open shifts (fixed work not included). */
  assignments: Assignment[];
  levels: LevelReport[];
  /** The model has no solution at all: only pins (or fixed work) can cause that. */
  infeasible: boolean;
}

/** Below this, a level is not worth starting: it is reported `not-solved`. */
const MIN_LEVEL_MS = 50;

/**
 * Walk the levels in order: optimise one, hold its value as a bound, go on to the next, each solve
 * warm-started from the plan so far. The plan only ever changes for a better one, so a level that
 * runs out of time keeps the best plan found and the levels above it keep their values.
 */
export async function solveLevels(job: LevelSolve): Promise<LevelResult> {
  const { built } = job;
  const specs = job.levels ?? LEVELS;
  const held: MilpConstraint[] = [];
  const startValues = valuesOf(built, job.start);
  // The plan so far, its helper variables valid for the last `rowCount` rows' set (null: the start does not fit the model).
  let x: number[] | null = null;
  let rowCount = -1;
  const reports: LevelReport[] = [];
  for (const [k, spec] of specs.entries()) {
    const name = spec.name as LevelName;
    const expr = built.levels[name];
    const began = Date.now();
    job.onLevel?.(name, k, specs.length);
    if (expr.unmodelled || job.stop?.aborted) {
      reports.push(report(spec, expr, x ?? startValues, null, 'not-solved', began));
      continue;
    }
    const levelRows = rowsUpTo(built.model, name);
    // A level that brings rows of its own needs the plan's helper values for them (should that fail,
    // the plan stays and only its warm start is lost).
    if (levelRows.length !== rowCount && (x !== null || k === 0)) x = (await complete(built, [...levelRows, ...held], x ?? startValues, job.deadline, job.stop)) ?? x;
    rowCount = levelRows.length;
    const current = x ?? startValues;
    // A plan at the level's best possible value proves it, but only a plan the model accepts.
    const trivial = expr.terms.length === 0 || (x !== null && expr.best !== undefined && Math.abs(expr.evaluate(x) - expr.best) < 1e-6);
    const remaining = job.deadline - Date.now();
    const laterWithTerms = specs.slice(k + 1).filter((l) => built.levels[l.name as LevelName].terms.length > 0).length;
    const budget = Math.max(Math.min(remaining, 150), remaining - RESERVE_PER_LEVEL * job.totalMs * laterWithTerms);
    if (trivial) {
      reports.push(report(spec, expr, current, expr.evaluate(current), 'optimal', began));
    } else if ((x === null && k > 0) || budget < MIN_LEVEL_MS) {
      reports.push(report(spec, expr, current, null, 'not-solved', began));
      continue;
    } else {
      const sign = spec.sense === 'max' ? -1 : 1;
      const gap = spec.tolerance === 'exact' ? 0 : job.relativeGap;
      const model = withObjective(built.model, expr, sign, [...levelRows, ...held]);
      const s = await searchLevel({ job, model, expr, sign, gap, budget, x, neighbourhoods: spec.tolerance === 'gap', seed: k + 1 });
      if (s.status === 'infeasible' && x === null) return { assignments: [], levels: unsolvedLevels(built, job.start), infeasible: true };
      // Only ever a better plan, judged by the assignments: an engine stopped by its time limit may answer with a worse one.
      if (s.values && (x === null || better({ expr, sign }, s.values, x))) x = s.values;
      const plan = x ?? startValues;
      // jslp proves by finishing its branch-and-bound; it reports no bound of its own. Without the
      // engine's, the level's best possible value is a bound too (proven by the model, objective.ts).
      const bound = s.bound !== null ? sign * s.bound + expr.constant : s.status === 'optimal' && s.values ? expr.evaluate(s.values) : (expr.best ?? null);
      reports.push(report(spec, expr, plan, bound, s.status === 'optimal' ? 'optimal' : 'feasible', began, gap));
    }
    if (x) held.push(hold(name, expr, x, spec.sense));
  }
  return { assignments: x ? assignmentsOf(built, x) : job.start, levels: reports, infeasible: false };
}

interface LevelSearch {
  job: LevelSolve;
  model: MilpModel;
  expr: LevelExpression;
  sign: 1 | -1;
  gap: number;
  budget: number;
  x: number[] | null;
  neighbourhoods: boolean;
  seed: number;
}

/**
 * One level's search: HiGHS on the whole level, which proves the bound; where it has not proven the
 * level in three quarters of the time, neighbourhoods improve its plan for the rest
 * (solver/neighbourhoods.ts). Measured: small-4x2 fairness 4.21 -> 4.0 with the same bound; an even
 * split left HiGHS too little time to find good plans on capped-6x4 (1.46 against 0.197).
 */
async function searchLevel(l: LevelSearch): Promise<MilpSolution> {
  const end = Date.now() + l.budget;
  const engine = l.job.engine;
  const lns = l.neighbourhoods && engine === 'highs' && l.x !== null;
  const first = await solveMilp(l.model, { engine, timeLimitMs: lns ? l.budget * 0.75 : l.budget, relativeGap: l.gap, start: l.x ? sparse(l.x) : undefined, stop: l.job.stop });
  if (!lns || first.status === 'optimal' || first.status === 'infeasible' || end - Date.now() < 1_000) return first;
  const from = first.values && better(l, first.values, l.x!) ? first.values : l.x!;
  const improved = await improveByNeighbourhoods({ built: l.job.built, model: l.model, expr: l.expr, sign: l.sign, engine, deadline: end, seed: l.seed, stop: l.job.stop }, from);
  return { ...first, values: improved };
}

/** Whether a solution's assignments are at least as good on the level as the plan so far. */
function better(l: { expr: LevelExpression; sign: number }, candidate: number[], x: number[]): boolean {
  const now = l.sign * l.expr.evaluate(x);
  return noWorse(l.sign * l.expr.evaluate(candidate), now);
}

/** The rule book's rows and those that define the objectives of `level` and the levels above it. */
function rowsUpTo(model: MilpModel, level: LevelName): MilpConstraint[] {
  const upTo = new Set(LEVELS.slice(0, LEVELS.findIndex((l) => l.name === level) + 1).map((l) => l.name as string));
  return model.constraints.filter((c) => !c.level || upTo.has(c.level));
}

/** Every level's value for a plan that no level solve produced (week by week only, or no plan at all). */
export function unsolvedLevels(built: BuiltModel, plan: Assignment[], specs: readonly LevelSpec[] = LEVELS): LevelReport[] {
  const x = valuesOf(built, plan);
  return specs.map((l) => report(l, built.levels[l.name as LevelName], x, null, 'not-solved', Date.now()));
}

function report(spec: LevelSpec, expr: LevelExpression, x: number[], bound: number | null, status: LevelReport['status'], began: number, tolerance = 0): LevelReport {
  const value = expr.evaluate(x);
  const b = bound === null || status === 'not-solved' ? null : tighten(spec, expr, bound, value);
  const gap = b === null ? null : Math.abs(value - b) < 1e-6 ? 0 : Math.abs(value - b) / Math.max(Math.abs(value), 1e-9);
  // The plan is read without the model's loose helper variables, so it can be proven within tolerance where the solver had not noticed.
  const proven = status === 'optimal' || (gap !== null && gap <= tolerance + 1e-9);
  return { name: spec.name as LevelName, unit: spec.unit, value, bound: b, gap, status: proven ? 'optimal' : status, timeMs: Date.now() - began };
}

/** A bound is never worse than the plan that reaches it, nor better than the level's best possible value. */
function tighten(spec: LevelSpec, expr: LevelExpression, bound: number, value: number): number {
  if (spec.sense === 'max') return Math.max(Math.min(bound, expr.best ?? Infinity), value);
  return Math.min(Math.max(bound, expr.best ?? -Infinity), value);
}

/**
 * The model with one level as its objective (minimised: maximised levels change sign) over the given
 * rows: without those that only define levels below (they never restrict a plan), with the levels above held.
 */
function withObjective(model: MilpModel, expr: LevelExpression, sign: number, constraints: MilpConstraint[]): MilpModel {
  const variables = model.variables.map((v) => ({ ...v, cost: 0 }));
  for (const [j, a] of expr.terms) variables[j]!.cost += sign * a;
  return { variables, constraints, offset: 0 };
}

/**
 * A solved level becomes a row at the plan's value of its terms. Held at the solver's own value
 * (not the plan's evaluated one), so the plan so far stays a feasible start for the next level.
 */
const termsValue = (expr: LevelExpression, x: number[]) => expr.terms.reduce((t, [j, a]) => t + a * x[j]!, 0);

function hold(name: string, expr: LevelExpression, x: number[], sense: 'max' | 'min'): MilpConstraint {
  const v = termsValue(expr, x);
  const eps = 1e-6 * Math.max(1, Math.abs(v));
  return { name: `hold:${name}`, terms: expr.terms, lb: sense === 'max' ? v - eps : -Infinity, ub: sense === 'min' ? v + eps : Infinity };
}

const sparse = (x: number[]): SolveOptions['start'] => ({ indices: x.map((_, j) => j), values: x });

/**
 * HiGHS takes a start for every variable best: fix the assignments of a known plan and let it fill
 * in the helper variables of the given rows (rest picks, indicators, deviations). Null when the plan
 * does not fit them (a pin it misses, or a rule the model keeps more strictly than the checker).
 */
async function complete(built: BuiltModel, constraints: MilpConstraint[], x: number[], deadline: number, stop?: AbortSignal): Promise<number[] | null> {
  const variables = built.model.variables.map((v) => ({ ...v, cost: 0 }));
  for (const { v } of built.choices) {
    if (x[v]! < variables[v]!.lb || x[v]! > variables[v]!.ub) return null; // the plan misses a pin
    variables[v]!.lb = variables[v]!.ub = x[v]!;
  }
  const timeLimitMs = Math.max(200, Math.min(5_000, (deadline - Date.now()) * 0.2));
  const filled = await solveMilp({ variables, constraints }, { engine: 'highs', timeLimitMs, relativeGap: 1, stop });
  return filled.values;
}
