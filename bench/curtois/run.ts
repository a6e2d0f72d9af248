import { shutdownEngines, solveMilp } from '../../solver/engines/index.ts';
import { largeNeighbourhoodSearch } from '../../solver/lns.ts';
import { generateColumns } from '../../solver/columns.ts';
import type { EngineName, MilpSolution } from '../../solver/engines/types.ts';
import { hardViolations, score } from './evaluate.ts';
import { buildCurtoisModel } from './model.ts';
import { BEST_KNOWN, loadInstance } from './parse.ts';

export interface CurtoisRow { instance: number; engine: string; score: number | null; best: number; ratio: number | null; violations: number; timeMs: number; status: string; gap: number | null; mismatch: boolean; lns?: string }

/** Of the time limit, the share HiGHS gets alone (a first roster and the bound) before column generation. */
const FIRST_SHARE = Number(process.env.FIRST_SHARE ?? 0.1);
/** Column generation until this share of the time limit, the last MASTER_MS of it for plans from its columns. */
const COLUMNS_UNTIL = Number(process.env.COLUMNS_UNTIL ?? 0.8);
const MASTER_MS = Number(process.env.MASTER_MS ?? 4_000);
/**
 * With LNS the instance has the machine's two cores: HiGHS runs twice at first, with different
 * random seeds; column generation weighs a dive's candidates side by side (and would price two
 * employees at once where HiGHS prices them); LNS re-solves two neighbourhoods at once
 * (solver/lns.ts). Measured on 5-8 (bench/RESULTS.md).
 */
const SEEDS = Number(process.env.SEEDS ?? 2);
const LANES = Number(process.env.LANES ?? 2);

/**
 * Solve one instance and score the roster with the benchmark's own evaluator. With `lns`, HiGHS
 * searches the whole model for the first 10 % of the time (FIRST_SHARE, SEEDS runs at once); column
 * generation over employees (solver/columns.ts, each roster priced exactly by bench/curtois/pricing.ts)
 * then solves the relaxation over whole rosters and dives from it to a plan; large-neighbourhood
 * search (solver/lns.ts) improves that plan until the limit or until it meets the best bound proved.
 */
export async function runInstance(n: number, engine: EngineName, timeLimitMs: number, highsOptions?: Record<string, number | string | boolean>, lns = false): Promise<CurtoisRow> {
  const inst = loadInstance(n);
  const { model, families, decode, price } = buildCurtoisModel(inst);
  const started = Date.now();
  const firstMs = lns ? timeLimitMs * FIRST_SHARE : timeLimitMs;
  const seeds = Array.from({ length: lns ? SEEDS : 1 }, (_, k) => k);
  const firsts = await Promise.all(seeds.map((k) => solveMilp(model, { engine, timeLimitMs: firstMs, relativeGap: 0, highsOptions: k ? { ...highsOptions, random_seed: k } : highsOptions })));
  let first = bestOf(firsts);
  let s = { values: first.values, objective: first.objective, status: first.status, gap: first.gap };
  let tried = '';
  if (lns && first.status !== 'optimal') {
    // Without a roster from HiGHS, column generation starts from each employee's own roster.
    const cg = await generateColumns({ model, blocks: families.find((f) => f.name === 'staff')!.groups, start: first.values ?? undefined, deadline: started + timeLimitMs * COLUMNS_UNTIL - MASTER_MS, masterMs: MASTER_MS, engine, lanes: LANES, price });
    const bound = higher(first.bound, cg.bound);
    tried = `from ${first.objective ?? 'no roster'} at ${Math.round(first.timeMs / 1000)} s; columns: ${cg.columns} in ${cg.rounds} rounds${cg.converged ? ' (converged)' : ''}, plan ${cg.objective === null ? 'none' : Math.round(cg.objective)}, bound ${cg.bound === null ? 'none' : cg.bound.toFixed(1)}`;
    if (cg.values) {
      const better = await largeNeighbourhoodSearch({ model, families, start: cg.values, deadline: started + timeLimitMs, target: bound ?? undefined, engine, lanes: LANES });
      const proven = bound !== null && better.objective <= bound + 1e-6;
      const gap = bound === null ? null : Math.max(0, (better.objective - bound) / Math.max(1e-9, Math.abs(better.objective)));
      s = { values: better.values, objective: better.objective, status: proven ? 'optimal' : 'feasible', gap };
      tried += '; lns ' + Object.entries(better.tried).map(([f, t]) => `${f} ${t.improved}/${t.solves}`).join(', ');
    }
  }
  const roster = s.values ? decode(s.values) : null;
  const value = roster ? score(inst, roster) : null;
  return {
    instance: n, engine: lns ? `${engine}+lns` : engine, score: value, best: BEST_KNOWN[n]!, ratio: value === null ? null : value / BEST_KNOWN[n]!,
    violations: roster ? hardViolations(inst, roster).length : 0, timeMs: Date.now() - started, status: s.status, gap: s.gap,
    // Scores are whole numbers; the objective carries the engine's tolerance on its continuous slacks (1e-6 each).
    mismatch: value !== null && s.objective !== null && Math.abs(value - s.objective) > 1e-3,
    ...(tried ? { lns: tried } : {}),
  };
}

/** The better of two proven bounds (minimising: the higher). */
const higher = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/** The best roster of several runs of the same model, with the best bound any of them proved. */
function bestOf(runs: MilpSolution[]): MilpSolution {
  const found = runs.filter((r) => r.values).sort((a, b) => a.objective! - b.objective!);
  const bounds = runs.map((r) => r.bound).filter((b): b is number => b !== null);
  const best = found[0] ?? runs[0]!;
  return { ...best, bound: bounds.length ? Math.max(...bounds) : null, status: runs.some((r) => r.status === 'optimal') ? 'optimal' : best.status };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const list = (process.argv[2] ?? '1-8').split('-').map(Number);
  for (let n = list[0]!; n <= (list[1] ?? list[0]!); n++) console.log(JSON.stringify(await runInstance(n, 'highs', Number(process.env.LIMIT_MS ?? 60_000), process.env.HIGHS_OPTIONS ? JSON.parse(process.env.HIGHS_OPTIONS) : undefined, process.env.LNS === '1')));
  await shutdownEngines();
}
