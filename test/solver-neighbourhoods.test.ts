import { afterAll, expect, it } from 'vitest';
import { ScheduleRequestSchema, shutdownEngines } from '../solver/index.ts';
import { solveMilp } from '../solver/engines/index.ts';
import { verifySolution } from '../solver/engines/verify.ts';
import { buildModel, valuesOf } from '../solver/model/build.ts';
import { improveByNeighbourhoods } from '../solver/neighbourhoods.ts';
import { setting } from '../solver/setting.ts';
import { base } from './helpers/plan.ts';

afterAll(() => shutdownEngines());

it('neighbourhoods turn an unfair plan into a fairer one that keeps every row of the model', async () => {
  const request = ScheduleRequestSchema.parse(base({
    assistants: ['a1', 'a2', 'a3', 'a4'].map((id) => ({ id, positionPercent: 50 })),
    needs: [{ id: 'd', days: ['mon', 'tue', 'wed', 'thu'], start: '08:00', end: '12:00' }],
  }));
  const set = setting(request);
  const built = buildModel({ request, params: set.params, shifts: set.shifts, fixed: new Map(), window: set.span, span: set.span, sundayPeriods: set.sundayPeriods, objective: { balance: true, targets: set.targets } });
  const fairness = built.levels.fairness;
  // The level's model: minimise the largest relative deviation, with coverage held at all 16 hours.
  const coverage = built.levels['coverage-essential'];
  const constraints = [...built.model.constraints, { name: 'hold', terms: coverage.terms, lb: 16 - 1e-6, ub: Infinity }];
  const variables = built.model.variables.map((v) => ({ ...v, cost: 0 }));
  for (const [j, a] of fairness.terms) variables[j]!.cost = a;
  const model = { variables, constraints };
  // Contracts are 50 % of a 37.5 h week: 18.75 h. a1 works all four mornings (16 h), the others none (deviation 1).
  const unfair = valuesOf(built, set.shifts.map((s) => ({ assistantId: 'a1', shiftId: s.id })));
  const fixed = variables.map((v) => ({ ...v }));
  for (const c of built.choices) fixed[c.v]!.lb = fixed[c.v]!.ub = unfair[c.v]!;
  const start = (await solveMilp({ variables: fixed, constraints }, { engine: 'highs', timeLimitMs: 5_000, relativeGap: 1 })).values!;
  expect(fairness.evaluate(start)).toBeCloseTo(1, 6);

  const better = await improveByNeighbourhoods({ built, model, expr: fairness, sign: 1, engine: 'highs', deadline: Date.now() + 3_000, seed: 1 }, start);
  // One morning each is the fairest plan: 4 of 18.75 h, a deviation of 14.75 / 18.75 for everyone.
  expect(fairness.evaluate(better)).toBeCloseTo(14.75 / 18.75, 6);
  expect(verifySolution(model, better)).toBeNull();
});
