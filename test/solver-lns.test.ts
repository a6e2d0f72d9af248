import { afterAll, expect, it } from 'vitest';
import { shutdownEngines, solveMilp } from '../solver/engines/index.ts';
import { largeNeighbourhoodSearch } from '../solver/lns.ts';
import { hardViolations, score } from '../bench/curtois/evaluate.ts';
import { buildCurtoisModel } from '../bench/curtois/model.ts';
import { loadInstance } from '../bench/curtois/parse.ts';

afterAll(() => shutdownEngines());

// Two lanes: two neighbourhoods re-solved at once from the same roster, their changes laid together where they do not meet.
it.each([1, 2])('large-neighbourhood search (%i lanes) keeps every roster legal and never worse, and its objective is the benchmark\'s own score', async (lanes) => {
  const inst = loadInstance(5);
  const { model, families, decode } = buildCurtoisModel(inst);
  // A first roster from a short HiGHS run: legal, and far from the best known (1143).
  const first = await solveMilp(model, { engine: 'highs', timeLimitMs: 8_000, relativeGap: 0 });
  expect(first.values).not.toBeNull();
  const startScore = score(inst, decode(first.values!));
  const out = await largeNeighbourhoodSearch({ model, families, start: first.values!, deadline: Date.now() + 12_000, seed: 7, lanes });
  const roster = decode(out.values);
  expect(hardViolations(inst, roster)).toEqual([]);
  expect(score(inst, roster)).toBeCloseTo(out.objective, 3);
  expect(out.objective).toBeLessThanOrEqual(startScore + 1e-6);
  const solves = Object.values(out.tried).reduce((t, f) => t + f.solves, 0);
  expect(solves).toBeGreaterThan(0);
  console.log(`[lns] Instance5, ${lanes} lanes: ${startScore} -> ${out.objective} in 12 s, ${JSON.stringify(out.tried)}`);
}, 60_000);
