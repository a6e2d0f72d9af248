/**
 * What makes one plan better than another, most important first: the score of a turnus.
 *
 * Each level is solved in turn to its own tolerance and then held as a bound while the next is
 * solved, warm-started from the plan so far. So no level is ever traded for one below it: no hour
 * of essential help for any amount of fairness, no fairness for any wish (shared/style.md).
 */
export const LEVELS = [
  // Clock hours of need covered (assistants x hours), by priority. Always solved exactly.
  { name: 'coverage-essential', unit: 'hours', sense: 'max', tolerance: 'exact' },
  { name: 'coverage-important', unit: 'hours', sense: 'max', tolerance: 'exact' },
  { name: 'coverage-optional', unit: 'hours', sense: 'max', tolerance: 'exact' },
  // The largest |planned - contract| / contract in the team, then the sum of |planned - contract|.
  { name: 'fairness', unit: 'relative deviation', sense: 'min', tolerance: 'gap', minMax: true },
  { name: 'fairness-total', unit: 'hours', sense: 'min', tolerance: 'gap' },
  // Range across the team of nights, weekends and Sundays worked, added up.
  { name: 'spread', unit: 'count', sense: 'min', tolerance: 'gap', minMax: true },
  // Sum of the weights of the wishes the plan meets (a negative weight met counts against).
  { name: 'wishes', unit: 'points', sense: 'max', tolerance: 'gap' },
  // Pool hours, priced: members who have worked here before cost less than strangers.
  { name: 'pool-cost', unit: 'cost', sense: 'min', tolerance: 'gap' },
] as const satisfies readonly LevelSpec[];

/** Every later level keeps this share of the time limit, so a hard level cannot starve the rest. */
export const RESERVE_PER_LEVEL = 0.05;

export interface LevelSpec {
  name: string;
  unit: string;
  sense: 'max' | 'min';
  /** `exact`: gap 0. `gap`: the request's `relativeGap` of the level's own value. */
  tolerance: 'exact' | 'gap';
  /** A min-max form, slow in branch-and-bound: week windows (a quick start plan) leave these out. */
  minMax?: boolean;
}

export type LevelName = (typeof LEVELS)[number]['name'];
export type LevelStatus = 'optimal' | 'feasible' | 'not-solved';

/** One level of the answer: its value in the plan, the best any plan could reach, and whether that is proven. */
export interface LevelReport {
  name: LevelName;
  unit: string;
  value: number;
  /** Proven bound on the level's best value, given the levels above it; null when none was proven. */
  bound: number | null;
  gap: number | null;
  status: LevelStatus;
  timeMs: number;
}

/** A level solved around choices that may not be best: its value stands, its proof does not. */
export const unproven = (l: LevelReport): LevelReport => ({ ...l, bound: null, gap: null, status: l.status === 'optimal' ? 'feasible' : l.status });

export const COVERAGE_LEVEL = { essential: 'coverage-essential', important: 'coverage-important', optional: 'coverage-optional' } as const;

/**
 * Whether a plan whose levels are `a` comes out worse than one whose levels are `b` on the score,
 * the levels after `last` aside: the first level where they differ decides. Two plans of one request
 * only (their values are in the same units).
 */
export function scoresBelow(a: readonly LevelReport[], b: readonly LevelReport[], last: LevelName): boolean {
  for (const level of LEVELS.slice(0, LEVELS.findIndex((l) => l.name === last) + 1)) {
    const x = a.find((l) => l.name === level.name)?.value;
    const y = b.find((l) => l.name === level.name)?.value;
    if (x === undefined || y === undefined || Math.abs(x - y) <= 1e-6 * Math.max(1, Math.abs(y))) continue;
    return level.sense === 'max' ? x < y : x > y;
  }
  return false;
}
