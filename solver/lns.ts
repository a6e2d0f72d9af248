import { solveMilp } from './engines/index.ts';
import { verifySolution } from './engines/verify.ts';
import { noWorse, objectiveOf, restrict, tolerance } from './engines/sub-model.ts';
import type { EngineName, MilpModel } from './engines/types.ts';
import { mulberry } from './random.ts';

/**
 * A way to cut the model into parts: each group is the integer variables of one part (one
 * assistant's, one day's). A neighbourhood frees a few groups of one family and fixes the rest.
 * `contiguous`: the groups are in order (days) and a neighbourhood takes adjacent ones.
 */
export interface Family { name: string; groups: number[][]; contiguous?: boolean }

export interface LnsJob {
  model: MilpModel;
  families: Family[];
  /** A feasible solution to start from: every value, by variable index. */
  start: number[];
  deadline: number;
  /** Stop early once the objective reaches this (a proven bound, or a known optimum). */
  target?: number;
  engine?: EngineName;
  /** Seeds the choices, so the same model and start search the same neighbourhoods. */
  seed?: number;
  stop?: AbortSignal;
  /** Neighbourhoods re-solved at once, each in an engine thread of its own (default 1). */
  lanes?: number;
}

export interface LnsOutcome {
  values: number[];
  objective: number;
  /** Per family: sub-solves tried, and how many of them improved the plan. */
  tried: Record<string, { solves: number; improved: number }>;
}

/** One sub-solve's limit: a neighbourhood HiGHS cannot settle in this is too large to be worth it. */
const SUB_SOLVE_MS = 1_000;
/** A sub-solve settled within this share of its limit: the next neighbourhood of its family is larger. */
const QUICK_SHARE = 1 / 8;
/** How much a family's weight moves towards its latest result (adaptive LNS). */
const LEARNING = 0.2;

/**
 * Adaptive large-neighbourhood search around an exact engine: from the best solution so far, free
 * the variables of a few groups of one family, fix every other integer variable at its value, and
 * re-solve that part exactly; keep any solution no worse. Families that have paid off are chosen
 * more often, and each family's neighbourhoods grow while the engine settles them quickly and
 * shrink when it cannot settle them in time.
 */
export async function largeNeighbourhoodSearch(job: LnsJob): Promise<LnsOutcome> {
  const { model } = job;
  const random = mulberry(job.seed ?? 1);
  const objective = (x: number[]) => objectiveOf(model, x);
  const state = job.families.filter((f) => f.groups.length > 1).map((f) => ({ family: f, weight: 1, size: Math.min(2, f.groups.length - 1), solves: 0, improved: 0 }));
  let best = job.start.map((v, j) => (model.variables[j]!.integer ? Math.round(v) : v));
  let value = objective(best);
  const done = () => Date.now() > job.deadline - 100 || job.stop?.aborted || (job.target !== undefined && value <= job.target + 1e-9);
  while (state.length && !done()) {
    const base = best;
    const limit = Math.min(SUB_SOLVE_MS, job.deadline - Date.now());
    const tries = Array.from({ length: job.lanes ?? 1 }, () => {
      const s = roulette(state, random);
      return { s, part: restrict(model, pickGroups(s.family, s.size, random).flat(), base) };
    });
    const subs = await Promise.all(tries.map(({ part }) => solveMilp(part.model, { engine: job.engine ?? 'highs', timeLimitMs: limit, relativeGap: 0, start: { indices: part.free.map((_, i) => i), values: part.free.map((j) => base[j]!) }, stop: job.stop })));
    const gains: { next: number[]; found: number; free: number[] }[] = [];
    for (const [k, { s, part }] of tries.entries()) {
      const sub = subs[k]!;
      s.solves++;
      const next = sub.values ? part.lift(sub.values) : null;
      const found = next ? objective(next) : Infinity;
      const gain = found < value - tolerance(value);
      // Equal plans are taken too: moving across a plateau is how a search leaves it.
      if (next && noWorse(found, value)) gains.push({ next, found, free: part.free });
      s.weight = (1 - LEARNING) * s.weight + LEARNING * (gain ? 1 : 0.05);
      if (gain) s.improved++;
      // Neighbourhoods as large as the engine settles quickly: larger ones find more, smaller ones finish.
      if (sub.status !== 'optimal') s.size = Math.max(1, s.size - 1);
      else if (sub.timeMs < SUB_SOLVE_MS * QUICK_SHARE) s.size = Math.min(s.family.groups.length - 1, s.size + 1);
    }
    [best, value] = merged(model, base, value, gains.sort((a, b) => a.found - b.found), objective);
  }
  return { values: best, objective: value, tried: Object.fromEntries(state.map((s) => [s.family.name, { solves: s.solves, improved: s.improved }])) };
}

/**
 * The best of the lanes' solutions, with the changes of each further lane laid over it where they
 * touch other variables and the whole still satisfies the model and is no worse.
 */
function merged(model: MilpModel, base: number[], value: number, gains: { next: number[]; found: number; free: number[] }[], objective: (x: number[]) => number): [number[], number] {
  if (gains.length === 0) return [base, value];
  let [best, bestValue] = [gains[0]!.next, gains[0]!.found];
  const touched = new Set(gains[0]!.free);
  for (const g of gains.slice(1)) {
    if (g.free.some((j) => touched.has(j))) continue;
    const y = [...best];
    for (const j of g.free) y[j] = g.next[j]!;
    const v = objective(y);
    if (noWorse(v, bestValue) && verifySolution(model, y) === null) {
      [best, bestValue] = [y, v];
      g.free.forEach((j) => touched.add(j));
    }
  }
  return [best, bestValue];
}

function roulette<T extends { weight: number }>(items: T[], random: () => number): T {
  let r = random() * items.reduce((t, i) => t + i.weight, 0);
  for (const i of items) if ((r -= i.weight) <= 0) return i;
  return items.at(-1)!;
}

/** `size` groups of the family: adjacent ones from a random start, or any, at random. */
function pickGroups(f: Family, size: number, random: () => number): number[][] {
  if (f.contiguous) {
    const from = Math.floor(random() * (f.groups.length - size + 1));
    return f.groups.slice(from, from + size);
  }
  const order = f.groups.map((g) => ({ g, r: random() })).sort((a, b) => a.r - b.r);
  return order.slice(0, size).map((o) => o.g);
}
