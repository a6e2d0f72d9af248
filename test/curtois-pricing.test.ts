import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { shutdownEngines, solveMilp } from '../solver/engines/index.ts';
import { verifySolution } from '../solver/engines/verify.ts';
import type { MilpModel } from '../solver/engines/types.ts';
import { buildCurtoisModel, type CurtoisModel } from '../bench/curtois/model.ts';
import { loadInstance } from '../bench/curtois/parse.ts';

afterAll(() => shutdownEngines());

const built = new Map<number, CurtoisModel>();
const curtois = (n: number) => built.get(n) ?? built.set(n, buildCurtoisModel(loadInstance(n))).get(n)!;

/** One employee's own rows (those over their variables alone), at `costs`: the pricing problem as the engine sees it. */
function ownModel(model: MilpModel, vars: number[], costs: number[]): MilpModel {
  const local = new Map(vars.map((j, i) => [j, i]));
  return {
    variables: vars.map((j, i) => ({ ...model.variables[j]!, cost: costs[i]! })),
    constraints: model.constraints
      .filter((c) => c.terms.every(([j]) => local.has(j)))
      .map((c) => ({ ...c, terms: c.terms.map(([j, a]) => [local.get(j)!, a] as [number, number]) })),
  };
}

it('the roster pricing walk finds the same least cost as HiGHS on the employee\'s own rows, with a roster that keeps every one of them', async () => {
  // Costs as pricing sees them: the instance's requests less a price per shift, from nothing to
  // far above any request (then every cap and the most minutes bind), and weekend variables
  // priced now and then below zero.
  const pricing = fc.record({
    n: fc.integer({ min: 1, max: 8 }),
    employee: fc.nat(),
    scale: fc.constantFrom(0, 30, 300, 3000),
    noise: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 120, maxLength: 120 }),
  });
  await fc.assert(
    fc.asyncProperty(pricing, async ({ n, employee, scale, noise }) => {
      const { model, families, price } = curtois(n);
      const staff = families.find((f) => f.name === 'staff')!.groups;
      const k = employee % staff.length;
      const vars = staff[k]!;
      const costs = vars.map((j, i) => {
        const v = model.variables[j]!;
        return v.name.startsWith('wk:') ? (noise[i]! < -0.6 ? noise[i]! * 10 : 0) : v.cost - scale * (noise[i]! + 1) / 2;
      });
      const own = ownModel(model, vars, costs);
      const walked = price(k, costs);
      const engine = await solveMilp(own, { engine: 'highs', timeLimitMs: 20_000, relativeGap: 0 });
      expect(engine.status).toBe('optimal');
      expect(walked).not.toBeNull();
      expect(verifySolution(own, walked!.values)).toBeNull();
      expect(walked!.values.reduce((t, x, i) => t + x * costs[i]!, 0)).toBeCloseTo(walked!.cost, 6);
      expect(walked!.cost).toBeCloseTo(engine.objective!, 6);
    }),
    { numRuns: 30 },
  );
}, 120_000);
