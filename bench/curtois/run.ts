import { shutdownEngines, solveMilp } from '../../solver/engines/index.ts';
import type { EngineName } from '../../solver/engines/types.ts';
import { hardViolations, score } from './evaluate.ts';
import { buildCurtoisModel } from './model.ts';
import { BEST_KNOWN, loadInstance } from './parse.ts';

export interface CurtoisRow { instance: number; engine: EngineName; score: number | null; best: number; ratio: number | null; violations: number; timeMs: number; status: string; gap: number | null; mismatch: boolean }

/** Solve one instance and score the roster with the benchmark's own evaluator. */
export async function runInstance(n: number, engine: EngineName, timeLimitMs: number, highsOptions?: Record<string, number | string | boolean>): Promise<CurtoisRow> {
  const inst = loadInstance(n);
  const { model, decode } = buildCurtoisModel(inst);
  const s = await solveMilp(model, { engine, timeLimitMs, relativeGap: 0, highsOptions });
  const roster = s.values ? decode(s.values) : null;
  const value = roster ? score(inst, roster) : null;
  return {
    instance: n, engine, score: value, best: BEST_KNOWN[n]!, ratio: value === null ? null : value / BEST_KNOWN[n]!,
    violations: roster ? hardViolations(inst, roster).length : 0, timeMs: Math.round(s.timeMs), status: s.status, gap: s.gap,
    mismatch: value !== null && s.objective !== null && Math.abs(value - s.objective) > 1e-6,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const list = (process.argv[2] ?? '1-8').split('-').map(Number);
  for (let n = list[0]!; n <= (list[1] ?? list[0]!); n++) console.log(JSON.stringify(await runInstance(n, 'highs', Number(process.env.LIMIT_MS ?? 60_000), process.env.HIGHS_OPTIONS ? JSON.parse(process.env.HIGHS_OPTIONS) : undefined)));
  await shutdownEngines();
}
