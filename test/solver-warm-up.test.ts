import { expect, it } from 'vitest';
import { warmUpPlanner } from '../solver/index.ts';
import { Planner } from '../src/planner/planner.ts';
import { ScheduleRequestSchema } from '../solver/index.ts';
import { smallRequest } from './helpers/requests.ts';

it('the warm-up solves real turnuses: every level proven, every plan legal, the pool used', async () => {
  const plans = await warmUpPlanner(2);
  expect(plans).toHaveLength(2);
  for (const plan of plans) {
    expect(plan.outcome).toBe('optimal');
    expect(plan.compliance.violations).toEqual([]);
    expect(plan.shifts.some((s) => s.sources.includes('pool'))).toBe(true);
  }
}, 60_000);

it('a planner thread that warmed up first takes work as a cold one does', async () => {
  const planner = new Planner({ heapMb: 768, killGraceMs: 2000, warmUpSolves: 2 }, 1);
  try {
    await planner.prepare();
    const result = await planner.run({ kind: 'plan', request: ScheduleRequestSchema.parse(smallRequest()), members: [], bookings: [] }, () => {});
    expect(result.outcome).toBe('optimal');
    expect(result.compliance.violations).toEqual([]);
  } finally {
    await planner.close();
  }
}, 60_000);
