import { planSchedule } from './plan.ts';
import { withPool } from './pool.ts';
import { ScheduleRequestSchema } from './request.ts';
import type { ScheduleResult } from './result.ts';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** One week, two team assistants and five pool members: every level has something to solve. */
const WARM_UP = ScheduleRequestSchema.parse({
  ordning: { id: 'warm-up', vedtak: { hoursPerWeek: 80, year: 2027 } },
  period: { start: '2027-01-04', weeks: 1 },
  needs: [
    { id: 'day', days: DAYS, start: '08:00', end: '16:00' },
    { id: 'evening', days: DAYS.slice(0, 5), start: '15:00', end: '23:00', priority: 'important' },
  ],
  assistants: [{ id: 'a1', positionPercent: 60 }, { id: 'a2', positionPercent: 40 }],
  solver: { timeLimitSeconds: 5, relativeGap: 0.01, engine: 'highs' },
});
const MEMBERS = ScheduleRequestSchema.parse({ ...WARM_UP, assistants: Array.from({ length: 5 }, (_, m) => ({ id: `p${m}`, positionPercent: 0 })) }).assistants;

/**
 * A thread's first solves run 2-4x slower than its tenth: V8 has not compiled the planner's hot
 * code yet, nor tiered HiGHS' WebAssembly up, and does so in every process anew. Solving a small
 * turnus first moves that cost off the first jobs. Measured on the pool bench (40 ordninger, 2-core
 * machine): the first jobs of a fresh worker took 1.4-3.0 s against 0.3-0.5 s warm, and two
 * workers starting at once slowed each other's warm-up (bench/RESULTS.md).
 */
export async function warmUpPlanner(solves: number): Promise<ScheduleResult[]> {
  const { request, options } = withPool(WARM_UP, MEMBERS, []);
  const plans: ScheduleResult[] = [];
  for (let i = 0; i < solves; i++) plans.push(await planSchedule(request, options));
  return plans;
}
