import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { planSchedule, scoresBelow, shutdownEngines, type LevelReport } from '../solver/index.ts';
import { coveredHours, PRIORITIES, provenCoverage } from '../bench/proven-coverage.ts';
import { ordningArb, ordningRequest } from './helpers/arbitraries.ts';

afterAll(() => shutdownEngines());

it('with default settings, every plan covers the proven maximum of each priority and says optimal only when every level is proven', async () => {
  let proven = 0;
  await fc.assert(
    fc.asyncProperty(ordningArb, async (r) => {
      const request = ordningRequest(r); // default solver settings
      const result = await planSchedule(request);
      expect(result.compliance.violations).toEqual([]);
      const plan = coveredHours(request, result);
      const best = (await provenCoverage(request))!;
      expect(best).not.toBeNull();
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

it('a plan scores below another at the first level where they differ, in that level\'s sense, the levels after the last one named aside', () => {
  const levels = (values: Record<string, number>): LevelReport[] =>
    Object.entries(values).map(([name, value]) => ({ name: name as LevelReport['name'], unit: '', value, bound: null, gap: null, status: 'feasible', timeMs: 0 }));
  const plan = levels({ 'coverage-essential': 40, fairness: 0.1, spread: 2, wishes: 3, 'pool-cost': 100 });
  // Less covered loses whatever the fairness; as covered and fairer wins.
  expect(scoresBelow(levels({ 'coverage-essential': 32, fairness: 0, spread: 0, wishes: 9, 'pool-cost': 0 }), plan, 'wishes')).toBe(true);
  expect(scoresBelow(levels({ 'coverage-essential': 40, fairness: 0.05, spread: 9, wishes: 0, 'pool-cost': 900 }), plan, 'wishes')).toBe(false);
  expect(scoresBelow(levels({ 'coverage-essential': 40, fairness: 0.2, spread: 0, wishes: 9, 'pool-cost': 0 }), plan, 'wishes')).toBe(true);
  // Fewer wishes met (a level to maximise) loses; pool cost decides nothing when the last level named is wishes.
  expect(scoresBelow(levels({ 'coverage-essential': 40, fairness: 0.1, spread: 2, wishes: 1, 'pool-cost': 0 }), plan, 'wishes')).toBe(true);
  expect(scoresBelow(levels({ 'coverage-essential': 40, fairness: 0.1, spread: 2, wishes: 3, 'pool-cost': 900 }), plan, 'wishes')).toBe(false);
  expect(scoresBelow(levels({ 'coverage-essential': 40, fairness: 0.1, spread: 2, wishes: 3, 'pool-cost': 900 }), plan, 'pool-cost')).toBe(true);
  expect(scoresBelow(plan, plan, 'pool-cost')).toBe(false);
});
