import { solveMilp } from './engines/index.ts';
import { tolerance } from './engines/sub-model.ts';
import type { EngineName, MilpModel } from './engines/types.ts';
import type { BuiltModel } from './model/build.ts';
import type { LevelExpression } from './model/objective.ts';
import { mulberry } from './random.ts';
import { append } from './lists.ts';

export interface Neighbourhoods {
  built: BuiltModel;
  /** The level's model: its objective, the rows up to it and the levels above held. */
  model: MilpModel;
  expr: LevelExpression;
  sign: 1 | -1;
  engine: EngineName;
  deadline: number;
  /** Seeds the choice of neighbourhoods, so the same request gives the same plan. */
  seed: number;
  stop?: AbortSignal;
}

/** One sub-solve's limit: small neighbourhoods solve in well under this, or are not worth waiting for. */
const SUB_SOLVE_MS = 1_500;

/**
 * Large-neighbourhood search: keep everyone's assignments but a few assistants', re-solve the level
 * exactly over theirs, keep any improvement. HiGHS proves bounds well but finds good plans slowly on
 * tight turnus models; small neighbourhoods it solves in milliseconds. Each neighbourhood holds one
 * of the assistants who set the level's value (where the level can say who), and neighbourhoods grow
 * when a round of them stops paying.
 */
export async function improveByNeighbourhoods(job: Neighbourhoods, x: number[]): Promise<number[]> {
  const { built, expr, sign } = job;
  const owners = new Map<string, number[]>();
  for (const c of built.choices) append(owners, c.assistantId, c.v);
  const people = [...owners.keys()];
  if (people.length < 3) return x;
  const random = mulberry(job.seed);
  let size = 2;
  let fruitless = 0;
  let best = x;
  const value = (v: number[]) => sign * expr.evaluate(v);
  while (Date.now() < job.deadline - 100 && !job.stop?.aborted) {
    const free = pick(people, size, random, expr.setters?.(best) ?? []);
    const variables = job.model.variables.map((v) => ({ ...v }));
    for (const [a, vs] of owners) if (!free.has(a)) for (const j of vs) variables[j]!.lb = variables[j]!.ub = best[j]!;
    const s = await solveMilp({ ...job.model, variables }, { engine: job.engine, timeLimitMs: Math.min(SUB_SOLVE_MS, job.deadline - Date.now()), relativeGap: 0, start: { indices: best.map((_, j) => j), values: best }, stop: job.stop });
    if (s.values && value(s.values) < value(best) - tolerance(value(best))) {
      best = s.values;
      fruitless = 0;
    } else if (++fruitless >= 2 * people.length) {
      // Every small neighbourhood tried without gain: look wider.
      if (size >= people.length) break;
      size++;
      fruitless = 0;
    }
  }
  return best;
}

/** `size` assistants at random, one of them among those who set the value when there are any. */
function pick(people: string[], size: number, random: () => number, setters: string[]): Set<string> {
  const order = [...people];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const first = setters.length ? [setters[Math.floor(random() * setters.length)]!] : [];
  return new Set([...first, ...order.filter((a) => !first.includes(a))].slice(0, size));
}
