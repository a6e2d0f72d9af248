import { firstPlanClaim, ScheduleRequestSchema } from '../solver/index.ts';
import type { ExternalBooking, ScheduleResult } from '../solver/result.ts';
import { runTask } from '../src/planner/task.ts';
import { poolBookings } from '../src/pool/optimistic.ts';
import { poolMembers, poolOrdning } from './pool.ts';

/**
 * `npm run bench -- --pool-replay`: what a first plan costs to solve beside another, in one process,
 * without Redis or worker processes. The pool bench's 40 ordninger one after another, each solved on
 * the pool as one worker sees it (every earlier plan booked), as two workers see it (the plan before
 * still in flight: not yet booked), and the same with that plan's claim priced in. Every plan is
 * booked as solved, whatever it clashes with. The three ways take turns, pass by pass, as this
 * machine's speed drifts (bench/RESULTS.md); prints each way's solver time per pass and its levels'.
 */
const WAYS = ['one worker', 'beside another', 'beside another, its claim priced'] as const;
type Way = (typeof WAYS)[number];
const PASSES = 4;
const members = poolMembers();

interface Pass { solverMs: number; levelMs: Map<string, number>; variables: number }

export async function poolReplay(): Promise<void> {
  const passes = new Map<Way, Pass[]>(WAYS.map((w) => [w, []]));
  await pass('one worker'); // V8 compiles the planner's hot code first; not counted
  for (let k = 0; k < PASSES; k++) for (const way of k % 2 ? [...WAYS].reverse() : WAYS) passes.get(way)!.push(await pass(way));
  const levels = [...passes.get('one worker')![0]!.levelMs.keys()].filter((l) => passes.get('one worker')!.some((p) => p.levelMs.get(l)! >= 100));
  console.log(`## A first plan beside another: the pool bench's 40 ordninger replayed in one process (${PASSES} passes each, medians)\n`);
  console.log(`| each plan solved on the pool as | solver s a pass | ${levels.map((l) => `${l} s`).join(' | ')} | variables |`);
  console.log(`|---|---|${levels.map(() => '---|').join('')}---|`);
  for (const [way, ps] of passes)
    console.log(`| ${way} | ${s(median(ps.map((p) => p.solverMs)))} | ${levels.map((l) => s(median(ps.map((p) => p.levelMs.get(l)!)))).join(' | ')} | ${ps[0]!.variables} |`);
  console.log('');
}

async function pass(way: Way): Promise<Pass> {
  const booked: ExternalBooking[][] = [];
  const out: Pass = { solverMs: 0, levelMs: new Map(), variables: 0 };
  for (let i = 0; i < 40; i++) {
    const request = ScheduleRequestSchema.parse(poolOrdning(i));
    const behind = way === 'one worker' ? booked.flat() : booked.slice(0, Math.max(0, i - 1)).flat();
    const inFlight = i > 0 && way === 'beside another, its claim priced' ? ScheduleRequestSchema.parse(poolOrdning(i - 1)) : undefined;
    const claimed = inFlight ? firstPlanClaim(inFlight, members, behind, new Set()) : [];
    const result: ScheduleResult = await runTask({ kind: 'plan', request, members, bookings: behind, claimed }, () => {});
    booked.push(poolBookings(request, `s${i}`, result));
    out.solverMs += result.solver.timeMs;
    out.variables += result.solver.variables;
    for (const l of result.solver.levels) out.levelMs.set(l.name, (out.levelMs.get(l.name) ?? 0) + l.timeMs);
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const s = (ms: number) => (ms / 1000).toFixed(2);
