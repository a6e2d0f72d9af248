import { afterAll, expect, it } from 'vitest';
import { generateColumns } from '../solver/columns.ts';
import { shutdownEngines, solveMilp } from '../solver/engines/index.ts';
import { hardViolations, score } from '../bench/curtois/evaluate.ts';
import { buildCurtoisModel } from '../bench/curtois/model.ts';
import { BEST_KNOWN, loadInstance } from '../bench/curtois/parse.ts';

afterAll(() => shutdownEngines());

/** One Curtois instance: a short HiGHS run, then column generation over its employees from that roster. */
async function fromColumns(n: number, firstMs: number, generateMs: number, masterMs: number, exact = false) {
  const inst = loadInstance(n);
  const { model, families, decode, price } = buildCurtoisModel(inst);
  const first = await solveMilp(model, { engine: 'highs', timeLimitMs: firstMs, relativeGap: 0 });
  expect(first.values).not.toBeNull();
  const staff = families.find((f) => f.name === 'staff')!.groups;
  const out = await generateColumns({ model, blocks: staff, start: first.values!, deadline: Date.now() + generateMs, masterMs, lanes: 2, ...(exact ? { price } : {}) });
  expect(out.values).not.toBeNull();
  const roster = decode(out.values!);
  return { inst, first, out, roster };
}

it('column generation on Curtois 1 solves the relaxation: its bound is below the proven optimum, its plan legal and scored right', async () => {
  const { inst, first, out, roster } = await fromColumns(1, 500, 20_000, 3_000);
  expect(out.converged).toBe(true);
  expect(hardViolations(inst, roster)).toEqual([]);
  expect(score(inst, roster)).toBeCloseTo(out.objective!, 3);
  expect(out.objective!).toBeLessThanOrEqual(first.objective! + 1e-6);
  // Instance 1's 607 is proven optimal: a bound above it would be a false proof.
  expect(out.bound).not.toBeNull();
  expect(out.bound!).toBeLessThanOrEqual(BEST_KNOWN[1]! + 1e-6);
  expect(out.objective!).toBeGreaterThanOrEqual(out.bound! - 1e-6);
  console.log(`[columns] Instance1: ${first.objective} -> ${out.objective}, bound ${out.bound}, ${out.columns} columns in ${out.rounds} rounds`);
}, 60_000);

it('column generation on Curtois 5 proves a bound HiGHS on the whole model does not reach, never above the optimum', async () => {
  const { inst, first, out, roster } = await fromColumns(5, 3_000, 20_000, 6_000);
  expect(hardViolations(inst, roster)).toEqual([]);
  expect(score(inst, roster)).toBeCloseTo(out.objective!, 3);
  expect(out.objective!).toBeLessThanOrEqual(first.objective! + 1e-6);
  expect(out.bound).not.toBeNull();
  expect(out.bound!).toBeLessThanOrEqual(BEST_KNOWN[5]! + 1e-6);
  // HiGHS' own bound after its first 3 s is far below (about 800); the relaxation over whole rosters is not.
  expect(out.bound!).toBeGreaterThan(first.bound!);
  console.log(`[columns] Instance5: ${first.objective} (bound ${first.bound?.toFixed(1)}) -> ${out.objective}, bound ${out.bound?.toFixed(1)}, ${out.columns} columns in ${out.rounds} rounds`);
}, 90_000);

it('with the exact roster pricing, column generation on Curtois 7 solves the relaxation, dives to a legal plan, and proves a bound never above the best known', async () => {
  const { inst, first, out, roster } = await fromColumns(7, 3_000, 20_000, 2_000, true);
  expect(out.converged).toBe(true);
  expect(hardViolations(inst, roster)).toEqual([]);
  expect(score(inst, roster)).toBeCloseTo(out.objective!, 3);
  expect(out.objective!).toBeLessThanOrEqual(first.objective! + 1e-6);
  // 1056 is a roster's score, so no proof may claim more; HiGHS' own bound after 3 s is about 1040.
  expect(out.bound!).toBeLessThanOrEqual(BEST_KNOWN[7]! + 1e-6);
  expect(out.bound!).toBeGreaterThan(first.bound!);
  expect(out.objective!).toBeGreaterThanOrEqual(out.bound! - 1e-6);
  console.log(`[columns] Instance7 exact pricing: ${first.objective} (bound ${first.bound?.toFixed(1)}) -> ${out.objective}, bound ${out.bound?.toFixed(1)}, ${out.columns} columns in ${out.rounds} rounds`);
}, 90_000);

it('column generation without a start begins from each employee\'s own roster and still gives a legal plan', async () => {
  const inst = loadInstance(2);
  const { model, families, decode } = buildCurtoisModel(inst);
  const staff = families.find((f) => f.name === 'staff')!.groups;
  const out = await generateColumns({ model, blocks: staff, deadline: Date.now() + 8_000, masterMs: 3_000, lanes: 2 });
  expect(out.values).not.toBeNull();
  const roster = decode(out.values!);
  expect(hardViolations(inst, roster)).toEqual([]);
  expect(score(inst, roster)).toBeCloseTo(out.objective!, 3);
  expect(out.bound!).toBeLessThanOrEqual(BEST_KNOWN[2]! + 1e-6);
  expect(out.objective!).toBeGreaterThanOrEqual(BEST_KNOWN[2]! - 1e-6);
  console.log(`[columns] Instance2 without a start: ${out.objective}, bound ${out.bound?.toFixed(1)}, ${out.columns} columns in ${out.rounds} rounds`);
}, 60_000);
