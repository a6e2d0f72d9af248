import { modelSize, type Assistant, type ModelSize, type ScheduleRequest } from '../../solver/index.ts';
import type { ErrorDetail } from '../errors.ts';

export interface AdmissionLimits {
  /** Shift-assistant choices one solve may hold (config PLANNER_MAX_CHOICES). */
  maxChoices: number;
  /** Members one pool may hold (config POOL_MAX_MEMBERS): a first plan puts them all beside its team. */
  maxPoolMembers?: number;
}

/**
 * Building the model takes about 0.5-1 ms per choice on this service's 2-core machine (measured
 * 5,600 choices in 5.9 s and 16,800 in 12 s under load), all inside the request's time limit: a
 * limit shorter than this leaves no time to search.
 */
const MIN_SECONDS_PER_1000_CHOICES = 1;

export type Admission = { ok: true; size: ModelSize } | { ok: false; size: ModelSize; message: string; details: ErrorDetail[] };

/**
 * Whether a request can be solved within the service's limits, judged before it is queued from the
 * size of its model (solver/size.ts). Measured: 16,800 choices took 1.3 GB and 28,000 took 3.5 GB
 * and 57 s against a 20 s limit; the default limit keeps a solve near 600 MB and within its time.
 */
export function admission(request: ScheduleRequest, limits: AdmissionLimits, poolMembers: Assistant[] = []): Admission {
  // A first plan puts the pool's members beside the team (solver/pool.ts): they count too.
  const team = new Set(request.assistants.map((a) => a.id));
  const pool = poolMembers.filter((m) => !team.has(m.id));
  const size = modelSize(request, pool);
  const { choices, shifts, assistants } = size;
  if (choices > limits.maxChoices) {
    const withPool = pool.length ? `, ${pool.length} of them from pool "${request.pool!.id}"` : '';
    const message = `the plan would hold ${choices} shift-assistant choices (${shifts} shifts x up to ${assistants} assistants with the skills${withPool}); at most ${limits.maxChoices} are accepted: plan fewer weeks at a time (period.weeks), or fewer needs or assistants`;
    const byPool = pool.length > 0 && modelSize(request).choices <= limits.maxChoices;
    return { ok: false, size, message, details: [{ path: byPool ? 'pool.id' : 'period.weeks', message }] };
  }
  const seconds = Math.ceil((choices / 1000) * MIN_SECONDS_PER_1000_CHOICES);
  if (request.solver.timeLimitSeconds < seconds) {
    const message = `a plan with ${choices} shift-assistant choices needs a time limit of at least ${seconds} s`;
    return { ok: false, size, message, details: [{ path: 'solver.timeLimitSeconds', message }] };
  }
  return { ok: true, size };
}
