import { solveMilp } from './engines/index.ts';
import { verifySolution } from './engines/verify.ts';
import { objectiveOf, restrict, tolerance } from './engines/sub-model.ts';
import type { EngineName, MilpConstraint, MilpModel, MilpSolution } from './engines/types.ts';

/**
 * Column generation (Dantzig-Wolfe) over blocks: a model whose rows each hold one block's variables
 * (one employee's rules) but for some linking rows (cover). A column is one block's whole part of a
 * plan (one employee's roster); the master picks one column per block. Its linear relaxation prices
 * the linking rows, each block's pricing problem finds the roster worth most at those prices, and
 * plans are then made of the columns found. On rostering models the master's relaxation is far
 * tighter than the model's own, as it knows each employee's rules whole (Curtois 5: a proven bound
 * of 1140.6 in 2 s with an exact pricing oracle, where HiGHS on the model reached 841 in 60 s; best
 * known 1143), and its prices lead the pricing to the rosters that fit together.
 */
export interface ColumnJob {
  model: MilpModel;
  /** Each block's integer variables. Rows over one block alone stay with that block. */
  blocks: number[][];
  /**
   * A feasible plan: its columns make the first master feasible. Without one, each block's first
   * column is a roster of its own rules alone (the linking rows must then have slack to take it).
   */
  start?: number[];
  /** Columns are generated until this (the rounds, then a dive); then `masterMs` for plans made of them. */
  deadline: number;
  masterMs: number;
  engine?: EngineName;
  /** Pricing problems solved at once, each in an engine thread of its own (default 1). */
  lanes?: number;
  /**
   * An exact pricing oracle, where the model's blocks have a known shape: block `block`'s least-cost
   * part of a plan under its own rows at `costs` (one per block variable, in block order), and that
   * cost. Null where it does not apply: the block's pricing problem then goes to the engine.
   */
  price?: PricingOracle;
  stop?: AbortSignal;
}

export interface ColumnOutcome {
  /** The best plan made of the columns, or the start when none was better; null if neither. */
  values: number[] | null;
  objective: number | null;
  /** A proven lower bound on the model's optimum: the best Lagrangian bound of the rounds. */
  bound: number | null;
  columns: number;
  rounds: number;
  /**
   * The relaxation is solved: no block had a column of negative reduced cost left, or its value was
   * within CONVERGED of the bound proved.
   */
  converged: boolean;
}

export type PricingOracle = (block: number, costs: number[]) => { values: number[]; cost: number } | null;

interface Column { block: number; vars: number[]; values: number[]; cost: number; links: [row: number, coef: number][] }

/**
 * A pricing problem's limit. One employee's roster takes HiGHS 10-300 ms on Curtois 5-8; one cut
 * short still gives its best roster as a column and its bound to the Lagrangian bound.
 */
const PRICING_MS = 300;
/** A column is worth adding when its reduced cost is below this. */
const NEGATIVE = -1e-6;
/** A dive weighs this many columns nearest to whole before it fixes one. */
const CANDIDATES = 3;
/**
 * The master's relaxation by HiGHS' interior-point method (with its crossover to a vertex, so the
 * prices and the dive's columns are a basis' as before): on the masters of Curtois 7, 8 and 12 it
 * took 34, 55 and 281 ms against 41, 84 and 815 ms for the dual simplex from scratch.
 */
const RELAXATION = { solver: 'ipm' };
/** A fix that lifts the relaxation by less than this, relative to it, lifts nothing (HiGHS' LP tolerances). */
const FLAT = 1e-7;
/**
 * The relaxation is solved once its value and the best bound are this close, relative to it: the
 * last rounds before they meet add a column or two each (Curtois 7: 16 rounds within 0.003).
 */
const CONVERGED = 1e-4;
/** Prices and reduced costs nearer zero than this are within HiGHS' dual tolerance, not a price. */
const ZERO_PRICE = 1e-7;
/** Smoothing: the share of the best bound's prices in the prices a round prices at. */
const SMOOTHING = 0.5;

export async function generateColumns(job: ColumnJob): Promise<ColumnOutcome> {
  const { model, blocks } = job;
  const engine = job.engine ?? 'highs';
  const split = splitRows(model, blocks);
  const pricing = blocks.map((vars, k) => blockModel(model, vars, split.own[k]!));
  const columns: Column[] = [];
  const seen = blocks.map(() => new Map<string, number>());
  /** Adds the block's part of a plan as a column unless it is one already; its column's index. */
  const add = (k: number, values: number[]) => {
    const key = values.join(',');
    const known = seen[k]!.get(key);
    if (known !== undefined) return known;
    seen[k]!.set(key, columns.length);
    columns.push(column(model, blocks[k]!, k, values, split));
    return columns.length - 1;
  };
  const partsOf = (plan: number[]) => blocks.map((vars, k) => add(k, vars.map((j) => Math.round(plan[j]!))));
  const lanes = Math.max(1, job.lanes ?? 1);
  const start = job.start ?? (await ownRosters(model, split, blocks, pricing, lanes, engine, job.deadline, job.stop));
  if (!start) return { values: null, objective: null, bound: null, columns: 0, rounds: 0, converged: false };
  const startColumns = partsOf(start);
  let bound: number | null = null;
  /** The link prices that proved `bound`: the centre the next round's prices are smoothed toward. */
  let centre: number[] | null = null;
  let rounds = 0;
  let converged = false;
  let relaxed: number[] | null = null;
  const open = () => Date.now() < job.deadline - 50 && !job.stop?.aborted;
  const how: Pricing = { lanes, engine, open, stop: job.stop, oracle: job.price };
  generation: while (open()) {
    const lp = await relax(model, split, columns, blocks.length, engine, Math.max(100, job.deadline - Date.now()), job.stop);
    // Prices prove a bound only from the relaxation's optimum; cut short, they stop the rounds.
    if (lp.status !== 'optimal' || !lp.duals || lp.objective === null) break;
    rounds++;
    relaxed = lp.values!;
    const out = lp.duals.slice(0, split.links.length);
    const convexity = lp.duals.slice(split.links.length);
    // Smoothing (Wentges): price at a point between the best bound's prices and the relaxation's,
    // which damps the relaxation's swings from round to round. A round whose rosters are no better
    // at the relaxation's own prices (a mispricing) is priced again at those prices.
    for (let alpha: number = centre ? SMOOTHING : 0; ; alpha = 0) {
      const prices: number[] = alpha ? out.map((p, i) => alpha * centre![i]! + (1 - alpha) * p) : out;
      const round = await priceBlocks(blocks, pricing, split, prices, how);
      const proven = lagrangian(model, split, prices, round.lowest);
      if (proven !== null && proven > (bound ?? -Infinity)) [bound, centre] = [proven, prices];
      const improving = newColumns(round.rosters, add, columns).filter((n) => reducedCost(columns[n]!, out, convexity) < NEGATIVE);
      if (bound !== null && lp.objective - bound <= CONVERGED * (1 + Math.abs(lp.objective))) { converged = true; break generation; }
      if (improving.length) break;
      if (!alpha) { converged = round.exact; break generation; }
    }
  }
  // Three ways to a plan from the columns. A dive from the solved relaxation, still pricing on the
  // way, until the deadline. Then side by side for `masterMs`: the best plan within the root
  // relaxation's support, and the integer master over every column (from the start's columns).
  // The dive's was the best of the three on Curtois 6-9 and within 0.3 % of the master's on 5.
  const limit = Math.max(200, job.masterMs);
  const dived = converged && open() ? await dive({ model, blocks, split, pricing, columns, add, start, how }) : null;
  const found = await Promise.all([
    dived,
    relaxed ? withinSupport(model, split, columns, relaxed, engine, limit, job.stop) : null,
    integerMaster(model, split, columns, blocks.length, startColumns, start, engine, limit, job.stop),
  ]);
  let [best, value] = [start, objectiveOf(model, start)];
  for (const x of found) {
    const v = x ? objectiveOf(model, x) : Infinity;
    if (x && v < value - tolerance(value) && verifySolution(model, x) === null) [best, value] = [x, v];
  }
  return { values: best, objective: value, bound, columns: columns.length, rounds, converged };
}

/**
 * One round of pricing at link prices `prices`, blocks shared among lanes. `rosters`: each block's
 * best roster at those prices. `lowest`: each block's proven least priced cost (null when its
 * pricing problem proved none). `exact`: every pricing problem was solved to its optimum.
 */
async function priceBlocks(blocks: number[][], pricing: MilpModel[], split: Split, prices: number[], how: Pricing & { skip?: (block: number) => boolean }) {
  const { lanes, engine, open, stop, oracle, skip } = how;
  const rosters: [block: number, values: number[]][] = [];
  const lowest: (number | null)[] = blocks.map(() => null);
  let exact = true;
  await Promise.all(Array.from({ length: lanes }, async (_, lane) => {
    for (let k = lane; k < blocks.length; k += lanes) {
      if (skip?.(k)) continue;
      if (!open()) { exact = false; return; }
      const priced = priceBlock(blocks[k]!, pricing[k]!, split, prices);
      const known = oracle?.(k, priced.variables.map((v) => v.cost));
      if (known) {
        // The oracle's roster must keep the block's own rows: one that does not is a defect in it.
        const broken = verifySolution(priced, known.values) ?? (Math.abs(objectiveOf(priced, known.values) - known.cost) > tolerance(known.cost) ? 'its own cost' : null);
        if (broken) throw new Error(`column generation: the pricing oracle's roster for block ${k} breaks ${broken}`);
        lowest[k] = known.cost;
        rosters.push([k, known.values]);
        continue;
      }
      const s = await solveMilp(priced, { engine, timeLimitMs: PRICING_MS, relativeGap: 0, stop });
      // A pricing problem cut short still proves its bound.
      lowest[k] = s.bound ?? (s.status === 'optimal' ? s.objective : null);
      if (s.status !== 'optimal') exact = false;
      if (s.values) rosters.push([k, s.values.map((v) => Math.round(v))]);
    }
  }));
  return { rosters, lowest, exact };
}

/**
 * The Lagrangian bound at link prices `prices`: what the linking rows' bounds are worth at those
 * prices, plus the least each free variable and each block can cost at them. Any prices of the
 * right sign (at least 0 on a row's lower bound, at most 0 on its upper) prove a lower bound; the
 * relaxation's own prices and any mix of them do. Null when a block's least cost is unproven or a
 * price rests on an infinite bound.
 */
function lagrangian(model: MilpModel, split: Split, prices: number[], lowest: (number | null)[]): number | null {
  let total = model.offset ?? 0;
  for (const value of lowest) {
    if (value === null) return null;
    total += value;
  }
  for (const [p, i] of split.links.entries()) {
    const { lb, ub } = model.constraints[i]!;
    const price = Math.abs(prices[p]!) < ZERO_PRICE ? 0 : prices[p]!;
    if (price) total += price * (price > 0 ? lb : ub);
  }
  for (const j of split.free) {
    const { lb, ub, cost } = model.variables[j]!;
    const reduced = split.linkTerms[j]!.reduce((t, [p, a]) => t - prices[p]! * a, cost);
    if (Math.abs(reduced) >= ZERO_PRICE) total += reduced * (reduced > 0 ? lb : ub);
  }
  return Number.isFinite(total) ? total : null;
}

/**
 * The rosters that are new columns, added. A roster already among the columns is not one, whatever
 * its reduced cost: within the LP's tolerances it may look negative, and would be priced forever.
 */
function newColumns(rosters: [block: number, values: number[]][], add: (block: number, values: number[]) => number, columns: Column[]): number[] {
  const before = columns.length;
  for (const [k, values] of rosters) add(k, values);
  return Array.from({ length: columns.length - before }, (_, i) => before + i);
}

/** A column's reduced cost at the relaxation's link prices and convexity prices. */
const reducedCost = (c: Column, prices: number[], convexity: number[]) =>
  c.links.reduce((t, [p, a]) => t - prices[p]! * a, c.cost) - convexity[c.block]!;

interface Pricing { lanes: number; engine: EngineName; open: () => boolean; stop?: AbortSignal; oracle?: PricingOracle }

interface Split {
  /** Rows over one block only, by block. */
  own: MilpConstraint[][];
  /** Every other row, in the master, by its index in `model.constraints`. */
  links: number[];
  /** Each variable's terms in the linking rows: [place in `links`, coefficient]. */
  linkTerms: [link: number, coef: number][][];
  /** Variables in no block: they stay in the master as they are. */
  free: number[];
}

function splitRows(model: MilpModel, blocks: number[][]): Split {
  const owner = new Int32Array(model.variables.length).fill(-1);
  blocks.forEach((vars, k) => vars.forEach((j) => (owner[j] = k)));
  const own: MilpConstraint[][] = blocks.map(() => []);
  const links: number[] = [];
  model.constraints.forEach((c, i) => {
    const k = c.terms.length ? owner[c.terms[0]![0]]! : -1;
    if (k >= 0 && c.terms.every(([j]) => owner[j] === k)) own[k]!.push(c);
    else links.push(i);
  });
  const free = model.variables.map((_, j) => j).filter((j) => owner[j] === -1);
  if (free.some((j) => model.variables[j]!.integer)) throw new Error('column generation: every integer variable must be in a block');
  const linkTerms = model.variables.map((): [number, number][] => []);
  links.forEach((i, p) => model.constraints[i]!.terms.forEach(([j, a]) => linkTerms[j]!.push([p, a])));
  return { own, links, linkTerms, free };
}

/** One block's own model: its variables (renumbered) and its own rows. */
function blockModel(model: MilpModel, vars: number[], rows: MilpConstraint[]): MilpModel {
  const local = new Map(vars.map((j, i) => [j, i]));
  return {
    variables: vars.map((j) => ({ ...model.variables[j]! })),
    constraints: rows.map((c) => ({ ...c, terms: c.terms.map(([j, a]) => [local.get(j)!, a] as [number, number]) })),
  };
}

/** The block's model with each variable's cost less what the linking rows pay for it. */
function priceBlock(vars: number[], own: MilpModel, split: Split, prices: number[]): MilpModel {
  return { ...own, variables: own.variables.map((v, l) => ({ ...v, cost: split.linkTerms[vars[l]!]!.reduce((t, [p, a]) => t - prices[p]! * a, v.cost) })) };
}

function column(model: MilpModel, vars: number[], block: number, values: number[], split: Split): Column {
  const cost = vars.reduce((t, j, l) => t + model.variables[j]!.cost * values[l]!, 0);
  const links = new Map<number, number>();
  vars.forEach((j, l) => {
    if (values[l]) for (const [p, a] of split.linkTerms[j]!) links.set(p, (links.get(p) ?? 0) + a * values[l]!);
  });
  return { block, vars, values, cost, links: [...links] };
}

/**
 * Free variables first, then one variable per column; linking rows first, then one convexity row
 * per block (its dual is the block's price of being rostered at all).
 */
function master(model: MilpModel, split: Split, columns: Column[], blocks: number, integer: boolean): MilpModel {
  const variables = [
    ...split.free.map((j) => model.variables[j]!),
    ...columns.map((c, n) => ({ name: `col${n}`, lb: 0, ub: 1, integer, cost: c.cost })),
  ];
  const freeAt = new Map(split.free.map((j, i) => [j, i]));
  const rows = split.links.map((i) => {
    const c = model.constraints[i]!;
    return { name: c.name, lb: c.lb, ub: c.ub, terms: c.terms.flatMap(([j, a]) => (freeAt.has(j) ? [[freeAt.get(j)!, a] as [number, number]] : [])) };
  });
  const convexity = Array.from({ length: blocks }, (_, k) => ({ name: `block${k}`, lb: 1, ub: 1, terms: [] as [number, number][] }));
  columns.forEach((c, n) => {
    const at = split.free.length + n;
    for (const [p, a] of c.links) rows[p]!.terms.push([at, a]);
    convexity[c.block]!.terms.push([at, 1]);
  });
  return { variables, constraints: [...rows, ...convexity], offset: model.offset };
}

interface Dive { model: MilpModel; blocks: number[][]; split: Split; pricing: MilpModel[]; columns: Column[]; add: (block: number, values: number[]) => number; start: number[]; how: Pricing }

/**
 * A plan by diving from the solved relaxation: fix each block whose relaxation takes one column
 * whole, and, of the CANDIDATES columns nearest to whole, the one whose fix lifts the relaxation
 * least (the nearest at once, or all of them, when that lifts nothing); price columns for the
 * blocks still free until none improves the relaxation; until every block is fixed. Null when a
 * relaxation on the way has no optimum. On Curtois 7 and 8 the relaxation rose by 0.5 % over the
 * first 20 fixes, where plans from the root's columns alone were 10-40 % above it; late fixes can
 * still lift it by 4 % (bench/RESULTS.md).
 */
async function dive({ model, blocks, split, pricing, columns, add, start, how }: Dive): Promise<number[] | null> {
  // A fixed block's column is the only one of that block in the relaxation, which its convexity row then takes whole.
  const fixed = new Map<number, Column>();
  /** The relaxation over the columns the fixes `fix` allow. */
  const trial = async (fix: Map<number, Column>): Promise<Trial> => {
    const live = columns.filter((c) => (fix.get(c.block) ?? c) === c);
    return { live, lp: await relax(model, split, live, blocks.length, how.engine, 10_000, how.stop) };
  };
  /** The relaxation under the fixes so far when the last pick's trial solved it already. */
  let carried: Trial | null = null;
  for (;;) {
    let lp: MilpSolution;
    let live: Column[];
    for (;;) {
      ({ lp, live } = carried ?? (await trial(fixed)));
      carried = null;
      if (lp.status !== 'optimal' || !lp.duals || !lp.values) return null;
      if (!how.open()) break;
      const prices = lp.duals.slice(0, split.links.length);
      const convexity = lp.duals.slice(split.links.length);
      const round = await priceBlocks(blocks, pricing, split, prices, { ...how, skip: (k) => fixed.has(k) });
      const improving = newColumns(round.rosters, add, columns).filter((n) => reducedCost(columns[n]!, prices, convexity) < NEGATIVE);
      if (!improving.length) break;
    }
    if (how.stop?.aborted) return null;
    const value = (i: number) => lp.values![split.free.length + i]!;
    // Each free block's largest column in the relaxation.
    const largest = new Map<number, number>();
    live.forEach((c, i) => {
      const j = largest.get(c.block);
      if (!fixed.has(c.block) && (j === undefined || value(i) > value(j))) largest.set(c.block, i);
    });
    if (!largest.size) return lift(split, live, lp.values, start);
    // Past the deadline, with no pricing left to mend a fix, every free block takes its largest at once.
    const open = how.open();
    const whole = [...largest.values()].filter((i) => !open || value(i) > 1 - 1e-6);
    for (const i of whole) fixed.set(live[i]!.block, live[i]!);
    const candidates = [...largest.values()].filter((i) => !fixed.has(live[i]!.block)).sort((a, b) => value(b) - value(a)).slice(0, CANDIDATES);
    if (!candidates.length) continue;
    // Of the columns nearest to whole, the one whose fix lifts the relaxation (over the columns so
    // far) least: the nearest alone once led Curtois 7's dive from 1058.8 to 1097.3 in one fix.
    // Fixes that lift nothing are taken at once: all of the nearest together (tried beside the
    // nearest alone when there are two lanes), else the nearest alone; only then are the others
    // weighed. The picks' relaxation is the next node's.
    const fixing = (picks: number[]) => new Map([...fixed, ...picks.map((i) => [live[i]!.block, live[i]!] as const)]);
    const lifted = (t: Trial) => (t.lp.status === 'optimal' ? t.lp.objective! : Infinity);
    const flat = (t: Trial) => lifted(t) <= lp.objective! + FLAT * (1 + Math.abs(lp.objective!));
    const nearest = [candidates[0]!];
    const [together, alone] = await Promise.all([how.lanes > 1 && candidates.length > 1 ? trial(fixing(candidates)) : null, trial(fixing(nearest))]);
    let [picks, best] = together && flat(together) ? [candidates, together] : [nearest, alone];
    if (!flat(best)) {
      const others = await Promise.all(candidates.slice(1).map((i) => trial(fixing([i]))));
      others.forEach((t, n) => lifted(t) < lifted(best) && ([picks, best] = [[candidates[n + 1]!], t]));
    }
    for (const i of picks) fixed.set(live[i]!.block, live[i]!);
    carried = best;
  }
}

/** A relaxation of the master over the columns `live` (those the fixes allow). */
interface Trial { live: Column[]; lp: MilpSolution }

/** The master's relaxation over `columns`, with its row prices. */
const relax = (model: MilpModel, split: Split, columns: Column[], blocks: number, engine: EngineName, timeLimitMs: number, stop?: AbortSignal) =>
  solveMilp(master(model, split, columns, blocks, false), { engine, timeLimitMs, relativeGap: 0, stop, highsOptions: RELAXATION });

/**
 * The best plan whose every block takes, variable by variable, what one of its columns in the
 * relaxation's support does: variables on which those columns agree are fixed, the rest solved
 * exactly. Every mix of support columns lies in that space, so it holds a plan, and the relaxation,
 * near the optimum, says where to look: on Curtois 6 this found 1951 (best known 1950) where the
 * integer master over the same columns found 2256 in the same time.
 */
async function withinSupport(model: MilpModel, split: Split, columns: Column[], relaxed: number[], engine: EngineName, timeLimitMs: number, stop?: AbortSignal): Promise<number[] | null> {
  const x = new Array<number>(model.variables.length).fill(0);
  const first = new Set<number>();
  const differ = new Set<number>(split.free);
  columns.forEach((c, n) => {
    if (relaxed[split.free.length + n]! <= 1e-6) return;
    c.vars.forEach((j, l) => {
      if (!first.has(j)) { first.add(j); x[j] = c.values[l]!; }
      else if (x[j] !== c.values[l]) differ.add(j);
    });
  });
  const part = restrict(model, [...differ], x);
  const s = await solveMilp(part.model, { engine, timeLimitMs, relativeGap: 0, stop });
  return s.values ? part.lift(s.values) : null;
}

/** The master with a whole column per block, solved from the plan whose columns are `chosen`. */
async function integerMaster(model: MilpModel, split: Split, columns: Column[], blocks: number, chosen: number[], plan: number[], engine: EngineName, timeLimitMs: number, stop?: AbortSignal): Promise<number[] | null> {
  const picked = new Set(chosen);
  const values = [...split.free.map((j) => plan[j]!), ...columns.map((_, n) => (picked.has(n) ? 1 : 0))];
  const s = await solveMilp(master(model, split, columns, blocks, true), { engine, timeLimitMs, relativeGap: 0, start: { indices: values.map((_, i) => i), values }, stop });
  return s.values ? lift(split, columns, s.values, plan) : null;
}

/**
 * A plan without a start: each block's roster under its own rules at its own costs (two or more
 * solved at once), and the free variables (the cover's slack) solved for those. Null when a block
 * has no roster or the linking rows cannot take them.
 */
async function ownRosters(model: MilpModel, split: Split, blocks: number[][], pricing: MilpModel[], lanes: number, engine: EngineName, deadline: number, stop?: AbortSignal): Promise<number[] | null> {
  const x = new Array<number>(model.variables.length).fill(0);
  let missing = false;
  await Promise.all(Array.from({ length: lanes }, async (_, lane) => {
    for (let k = lane; k < blocks.length; k += lanes) {
      const s = await solveMilp(pricing[k]!, { engine, timeLimitMs: Math.max(100, Math.min(PRICING_MS, deadline - Date.now())), relativeGap: 0, stop });
      if (s.values) blocks[k]!.forEach((j, l) => (x[j] = Math.round(s.values![l]!)));
      else missing = true;
    }
  }));
  if (missing) return null;
  const part = restrict(model, split.free, x);
  const s = await solveMilp(part.model, { engine, timeLimitMs: Math.max(100, deadline - Date.now()), relativeGap: 0, stop });
  return s.values ? part.lift(s.values) : null;
}

/** A master solution as a plan of the model: each block's chosen column, the free variables as solved. */
function lift(split: Split, columns: Column[], values: number[], fallback: number[]): number[] {
  const x = [...fallback];
  split.free.forEach((j, i) => (x[j] = values[i]!));
  columns.forEach((c, n) => {
    if (values[split.free.length + n]! > 0.5) c.values.forEach((v, l) => (x[c.vars[l]!] = v));
  });
  return x;
}
