/**
 * An engine-neutral mixed-integer linear program, always minimised.
 * Rows are sparse: `terms` pairs a variable index with its coefficient.
 */
export interface MilpVariable {
  name: string;
  lb: number;
  ub: number; // Infinity for unbounded
  integer: boolean;
  cost: number;
}

export interface MilpConstraint {
  name: string;
  /** Set on rows that only define a level's objective (solver/levels.ts): solves of levels above it leave them out. */
  level?: string;
  terms: [index: number, coef: number][];
  lb: number; // -Infinity for none
  ub: number; // Infinity for none
}

export interface MilpModel {
  variables: MilpVariable[];
  constraints: MilpConstraint[];
  /** Constant added to the objective. */
  offset?: number;
}

export type EngineName = 'highs' | 'jslp';

export interface SolveOptions {
  engine: EngineName | 'auto';
  /** Hard wall-clock limit: the worker thread is terminated when it passes. */
  timeLimitMs: number;
  relativeGap: number;
  /** Extra HiGHS options (e.g. `mip_heuristic_effort`), for tuning. */
  highsOptions?: Record<string, number | string | boolean>;
  /** A known solution to start from (HiGHS): values for some variables, by index. */
  start?: { indices: number[]; values: number[] };
  /** Stops the solve at once (a cancelled plan): the answer is a timeout without values. */
  stop?: AbortSignal;
}

export type SolveStatus = 'optimal' | 'feasible' | 'infeasible' | 'timeout' | 'error';

export interface MilpSolution {
  status: SolveStatus;
  /** One value per variable, integral where the variable is integer; null when none was found. */
  values: number[] | null;
  objective: number | null;
  bound: number | null;
  gap: number | null;
  /** HiGHS on a linear program (no integer variables): each row's dual price, by row index. */
  duals?: number[];
  engine: EngineName;
  timeMs: number;
  message?: string;
}
