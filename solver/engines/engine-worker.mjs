// Runs one engine inside a worker thread. Plain JavaScript on purpose: it loads the same way under
// tsx, vitest and a production image, with no TypeScript loader in the thread.
import { parentPort } from 'node:worker_threads';
import highsLoader from 'highs';
import jslp from 'javascript-lp-solver';

const highsReady = highsLoader();

async function solveHighs({ packed, timeLimitMs, relativeGap, start, highsOptions }) {
  const highs = await highsReady;
  // Packed by the caller (solver/engines/packed.ts); only HiGHS' own infinity is set here.
  const fin = (xs) => {
    for (let i = 0; i < xs.length; i++) xs[i] = xs[i] === Infinity ? highs.infinity : xs[i] === -Infinity ? -highs.infinity : xs[i];
    return xs;
  };
  const { numCols, numRows, offset, colCost, colLower, colUpper, rowLower, rowUpper, starts, indices, values, integrality } = packed;
  const data = {
    numCols, numRows, offset, colCost,
    colLower: fin(colLower), colUpper: fin(colUpper), rowLower: fin(rowLower), rowUpper: fin(rowUpper),
    matrix: { format: 'csr', numRows, numCols, starts, indices, values },
    integrality,
  };
  const hm = highs.createModel(data);
  try {
    hm.options.set({ ...highsOptions, output_flag: false, time_limit: Math.max(0.05, timeLimitMs / 1000), mip_rel_gap: relativeGap });
    if (start) hm.setSolution({ indices: Int32Array.from(start.indices), values: Float64Array.from(start.values) });
    hm.run();
    const status = hm.getModelStatus();
    const S = highs.constants.modelStatus;
    const integer = integrality.some((i) => i === 1);
    const info = (name) => { try { return Number(hm.info.get(name)); } catch { return NaN; } };
    const hasSolution = info('primal_solution_status') === 2;
    if (status === S.infeasible) return { status: 'infeasible', values: null, objective: null, bound: null, gap: null };
    if (!hasSolution) {
      const limit = status === S.timeLimit || status === S.iterationLimit || status === S.solutionLimit || status === S.interrupt;
      // Stopped before any plan: the dual bound its search reached still proves how good a plan can be.
      const reached = integer && limit ? info('mip_dual_bound') : NaN;
      return { status: limit ? 'timeout' : 'error', values: null, objective: null, bound: Number.isFinite(reached) ? reached : null, gap: null, message: `HiGHS status ${status}` };
    }
    const objective = hm.getObjectiveValue();
    const bound = integer ? info('mip_dual_bound') : objective;
    const gap = integer ? info('mip_gap') : 0;
    const solution = hm.getSolution();
    return {
      status: status === S.optimal ? 'optimal' : 'feasible',
      values: Array.from(solution.colValue),
      // A linear program's row prices (column generation reads them); a MIP has none.
      ...(integer || !solution.rowDual ? {} : { duals: Array.from(solution.rowDual) }),
      objective,
      bound: Number.isFinite(bound) ? bound : null,
      gap: Number.isFinite(gap) ? gap : null,
    };
  } finally {
    hm.dispose();
  }
}

function solveJslp({ model, timeLimitMs, relativeGap }) {
  const constraints = {};
  const variables = {};
  const ints = {};
  const name = (j) => `v${j}`;
  model.variables.forEach((v, j) => {
    variables[name(j)] = { _cost: v.cost };
    if (v.integer) ints[name(j)] = 1;
  });
  model.constraints.forEach((c, i) => {
    const row = `r${i}`;
    const bounds = {};
    if (c.lb > -Infinity) bounds.min = c.lb;
    if (c.ub < Infinity) bounds.max = c.ub;
    if (bounds.min === undefined && bounds.max === undefined) return;
    constraints[row] = bounds;
    for (const [j, a] of c.terms) variables[name(j)][row] = (variables[name(j)][row] ?? 0) + a;
  });
  model.variables.forEach((v, j) => {
    const bounds = {};
    if (v.lb > 0) bounds.min = v.lb;
    if (v.ub < Infinity) bounds.max = v.ub;
    if (v.lb < 0) throw new Error('javascript-lp-solver adapter supports only non-negative variables');
    if (bounds.min === undefined && bounds.max === undefined) return;
    constraints[`b${j}`] = bounds;
    variables[name(j)][`b${j}`] = 1;
  });
  const t0 = performance.now();
  const res = jslp.Solve({
    optimize: '_cost', opType: 'min', constraints, variables, ints,
    options: { timeout: Math.max(50, timeLimitMs), tolerance: relativeGap },
  });
  if (!res.feasible) return { status: 'infeasible', values: null, objective: null, bound: null, gap: null };
  const values = model.variables.map((_, j) => Number(res[name(j)] ?? 0));
  const objective = model.variables.reduce((s, v, j) => s + v.cost * values[j], model.offset ?? 0);
  // jslp says nothing about optimality; an answer before its own timeout is optimal within the gap.
  const inTime = performance.now() - t0 < Math.max(50, timeLimitMs);
  return { status: res.isIntegral === false ? 'fractional' : inTime ? 'optimal' : 'feasible', values, objective, bound: null, gap: null };
}

parentPort.on('message', async (job) => {
  const t0 = performance.now();
  try {
    const out = job.engine === 'highs' ? await solveHighs(job) : solveJslp(job);
    parentPort.postMessage({ ...out, engine: job.engine, timeMs: performance.now() - t0 });
  } catch (err) {
    parentPort.postMessage({ status: 'error', values: null, objective: null, bound: null, gap: null, engine: job.engine, timeMs: performance.now() - t0, message: String(err?.message ?? err) });
  }
});
