import { Worker } from 'node:worker_threads';
import type { EngineName, MilpModel, MilpSolution, SolveOptions } from './types.ts';
import { packModel } from './packed.ts';
import { verifySolution } from './verify.ts';

export type * from './types.ts';

const WORKER_URL = new URL('./engine-worker.mjs', import.meta.url);
/** Time the thread gets past the engine's own limit before we terminate it. */
const KILL_GRACE_MS = 1500;

/**
 * javascript-lp-solver proves small models quickly but stalls in simplex phase 1 on mid-size
 * turnus models (shared/solver-engines.md); HiGHS handles every size we measured. So `auto`
 * gives jslp only the tiny ones.
 */
const JSLP_MAX_VARIABLES = 150;

export function pickEngine(model: MilpModel): EngineName {
  return model.variables.length <= JSLP_MAX_VARIABLES ? 'jslp' : 'highs';
}

/** Idle threads kept warm per engine: HiGHS' first solve in a thread is 2-4x slower. */
const IDLE_PER_ENGINE = 2;
const idle: Record<EngineName, Worker[]> = { highs: [], jslp: [] };

function takeWorker(engine: EngineName): Worker {
  const w = idle[engine].pop() ?? new Worker(WORKER_URL);
  w.removeAllListeners();
  return w;
}

function release(engine: EngineName, w: Worker): void {
  w.removeAllListeners();
  w.unref();
  if (idle[engine].length < IDLE_PER_ENGINE) idle[engine].push(w);
  else void w.terminate();
}

/** Solve in a worker thread; the thread is terminated once the time limit (plus grace) passes. */
export function solveMilp(model: MilpModel, options: SolveOptions): Promise<MilpSolution> {
  const engine = options.engine === 'auto' ? pickEngine(model) : options.engine;
  if (model.variables.length === 0) return Promise.resolve(solveEmpty(model, engine));
  if (options.stop?.aborted) return Promise.resolve(stopped(engine));
  const started = performance.now();
  const worker = takeWorker(engine);
  worker.ref();
  return new Promise<MilpSolution>((resolve) => {
    const onStop = () => finish(stopped(engine), false);
    let done = false;
    const finish = (s: MilpSolution, keep: boolean) => {
      if (done) return; // a stop, then the exit of the thread it terminated
      done = true;
      clearTimeout(timer);
      options.stop?.removeEventListener('abort', onStop);
      if (keep) release(engine, worker);
      else void worker.terminate();
      resolve({ ...s, timeMs: performance.now() - started });
    };
    const fail = (status: 'timeout' | 'error', message: string): MilpSolution => ({
      status, values: null, objective: null, bound: null, gap: null, engine, timeMs: 0, message,
    });
    const timer = setTimeout(() => finish(fail('timeout', `no answer within ${options.timeLimitMs} ms; thread terminated`), false), options.timeLimitMs + KILL_GRACE_MS);
    worker.once("message", (raw: Omit<MilpSolution, "status"> & { status: string }) => finish(accept(model, raw), true));
    worker.once('error', (err) => finish(fail('error', err.message), false));
    worker.once('exit', (code) => finish(fail('error', `engine thread exited with code ${code}`), false));
    options.stop?.addEventListener('abort', onStop, { once: true });
    // HiGHS stops itself a little before our kill so that it can hand back its incumbent.
    const job = { engine, timeLimitMs: Math.max(50, options.timeLimitMs * 0.95), relativeGap: options.relativeGap, highsOptions: options.highsOptions };
    if (engine === 'jslp') worker.postMessage({ ...job, model });
    else {
      const { packed, transfer } = packModel(model);
      worker.postMessage({ ...job, packed, start: options.start }, transfer);
    }
  });
}

/** A solve stopped from outside: HiGHS cannot hand back its incumbent then, so there is none. */
const stopped = (engine: EngineName): MilpSolution => ({ status: 'timeout', values: null, objective: null, bound: null, gap: null, engine, timeMs: 0, message: 'stopped' });

/** A model without variables (nothing to choose): HiGHS answers it with an error status, but its answer is plain. */
function solveEmpty(model: MilpModel, engine: EngineName): MilpSolution {
  const feasible = model.constraints.every((c) => c.lb <= 0 && c.ub >= 0);
  const objective = feasible ? (model.offset ?? 0) : null;
  return { status: feasible ? 'optimal' : 'infeasible', values: feasible ? [] : null, objective, bound: objective, gap: feasible ? 0 : null, engine, timeMs: 0 };
}

/** An engine's answer is a claim: keep it only if the values satisfy every row, bound and integrality. */
function accept(model: MilpModel, raw: Omit<MilpSolution, "status"> & { status: string }): MilpSolution {
  if (raw.status === 'fractional') return { ...raw, status: 'timeout', values: null, objective: null, message: 'no integral solution found' };
  if (!raw.values) return raw as MilpSolution;
  const problem = verifySolution(model, raw.values);
  if (problem) return { ...raw, status: 'error', values: null, objective: null, message: `engine answer rejected: ${problem}` };
  const values = raw.values.map((v, j) => (model.variables[j]!.integer ? Math.round(v) : v));
  return { ...raw, values } as MilpSolution;
}

/**
 * Start the HiGHS threads the pool keeps and solve a mid-size model in each: a thread's first large
 * solve grows its WebAssembly memory and warms the code, and was 2-4x slower than later ones.
 */
export async function warmUpEngines(): Promise<void> {
  await Promise.all(Array.from({ length: IDLE_PER_ENGINE }, () => solveMilp(warmUpModel(), { engine: 'highs', timeLimitMs: 10_000, relativeGap: 0 })));
}

/** An assignment model of turnus size: 60 shifts, 40 assistants, each shift to at most one, each assistant to at most 6. */
function warmUpModel(): MilpModel {
  const shifts = 60;
  const people = 40;
  const x = (s: number, p: number) => s * people + p;
  const variables = Array.from({ length: shifts * people }, (_, j) => ({ name: `x${j}`, lb: 0, ub: 1, integer: true, cost: -1 - ((j * 7919) % 13) / 13 }));
  const constraints = [
    ...Array.from({ length: shifts }, (_, s) => ({ name: `s${s}`, terms: Array.from({ length: people }, (_, p): [number, number] => [x(s, p), 1]), lb: -Infinity, ub: 1 })),
    ...Array.from({ length: people }, (_, p) => ({ name: `p${p}`, terms: Array.from({ length: shifts }, (_, s): [number, number] => [x(s, p), 1]), lb: -Infinity, ub: 6 })),
  ];
  return { variables, constraints };
}

export async function shutdownEngines(): Promise<void> {
  const all = [...idle.highs, ...idle.jslp];
  idle.highs = [];
  idle.jslp = [];
  await Promise.all(all.map((w) => w.terminate()));
}
