import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { planSchedule, shutdownEngines, type ScheduleRequest, type ScheduleResult } from '../solver/index.ts';
import { solveMilp } from '../solver/engines/index.ts';
import { buildModel } from '../solver/model/build.ts';
import { setting } from '../solver/setting.ts';
import { ordningArb, ordningRequest } from './helpers/arbitraries.ts';

afterAll(() => shutdownEngines());

const PRIORITIES = ['essential', 'important', 'optional'] as const;
type Priority = (typeof PRIORITIES)[number];
type Covered = Record<Priority, number>;

/** Clock hours covered per priority, read from the plan's shifts. */
function coveredHours(request: ScheduleRequest, result: ScheduleResult): Covered {
  const priority = new Map(request.needs.map((n) => [n.id, n.priority]));
  const out: Covered = { essential: 0, important: 0, optional: 0 };
  for (const s of result.shifts) out[priority.get(s.needId)!] += s.hours * s.assistantIds.length;
  return out;
}

/**
 * The most coverage any plan within the rule book's model reaches, by one HiGHS solve with gap 0 of
 * its own: priorities folded into one objective with weights so far apart that no amount of a lower
 * priority outweighs half an hour of a higher one (the random needs start and end on the half hour).
 * Nothing of the planner's level loop, start plans or held bounds is used.
 */
async function provenMaximum(request: ScheduleRequest): Promise<Covered> {
  const set = setting(request);
  const built = buildModel({ request, params: set.params, shifts: set.shifts, fixed: new Map(), window: set.span, span: set.span, hasNightWork: set.hasNightWork, sundayPeriods: set.sundayPeriods, objective: { balance: false, targets: set.targets } });
  const shift = new Map(set.shifts.map((s) => [s.id, s]));
  const total = (p: Priority) => set.shifts.filter((s) => s.priority === p).reduce((t, s) => t + s.hours * s.headcount, 0);
  const weight = { optional: 1, important: 2 * total('optional') + 1, essential: 0 };
  weight.essential = 2 * (total('important') * weight.important + total('optional')) + 1;
  const variables = built.model.variables.map((v) => ({ ...v, cost: 0 }));
  for (const c of built.choices) variables[c.v]!.cost = -weight[shift.get(c.shiftId)!.priority] * shift.get(c.shiftId)!.hours;
  const s = await solveMilp({ ...built.model, variables }, { engine: 'highs', timeLimitMs: 60_000, relativeGap: 0 });
  expect(s.status).toBe('optimal');
  const out: Covered = { essential: 0, important: 0, optional: 0 };
  for (const c of built.choices) if (s.values![c.v]! > 0.5) out[shift.get(c.shiftId)!.priority] += shift.get(c.shiftId)!.hours;
  return out;
}

it('with default settings, every plan covers the proven maximum of each priority and says optimal only when every level is proven', async () => {
  let proven = 0;
  await fc.assert(
    fc.asyncProperty(ordningArb, async (r) => {
      const request = ordningRequest(r); // default solver settings
      const result = await planSchedule(request);
      expect(result.compliance.violations).toEqual([]);
      const plan = coveredHours(request, result);
      const best = await provenMaximum(request);
      for (const p of PRIORITIES) expect(plan[p]).toBeCloseTo(best[p], 6);

      const levels = result.solver.levels;
      expect(levels.map((l) => l.name).slice(0, 3)).toEqual(['coverage-essential', 'coverage-important', 'coverage-optional']);
      for (const [k, p] of PRIORITIES.entries()) expect(levels[k]!.value).toBeCloseTo(best[p], 2);
      expect(result.outcome === 'optimal').toBe(levels.every((l) => l.status === 'optimal'));
      for (const l of levels) {
        if (l.status === 'not-solved') expect(l.bound).toBeNull();
        if (l.status !== 'optimal') continue;
        // Proven means a bound, and the plan within the level's tolerance of it.
        expect(l.bound).not.toBeNull();
        const tolerance = l.name.startsWith('coverage-') ? 0 : request.solver.relativeGap;
        expect(l.gap!).toBeLessThanOrEqual(tolerance + 1e-4);
      }
      // A reason claims a proof only where its priority's coverage level has one.
      const priority = new Map(request.needs.map((n) => [n.id, n.priority]));
      for (const u of result.unfilled) {
        const level = levels.find((l) => l.name === `coverage-${priority.get(u.shiftId.split('@')[0]!)}`)!;
        expect(u.reason.includes('(proven)')).toBe(level.status === 'optimal' && !/could take it within every rule/.test(u.reason));
      }
      if (result.outcome === 'optimal') proven++;
    }),
    { numRuns: 30, seed: 8, endOnFailure: true },
  );
  // The property says nothing if no plan was ever proven: make sure some were.
  expect(proven).toBeGreaterThan(0);
}, 900_000);
