import { clashingMembers, firstPlanClaim, poolClashes, ScheduleRequestSchema, type Assistant, type ScheduleRequest } from '../solver/index.ts';
import type { ExternalBooking, ScheduleResult } from '../solver/result.ts';
import { runTask } from '../src/planner/task.ts';
import { poolBookings } from '../src/pool/optimistic.ts';
import { poolMembers, poolOrdning } from './pool.ts';

/**
 * `npm run bench -- --claims`: how claims change clashes at booking (solver/pool-claims.ts), in one
 * process and without timing. The pool bench's 40 ordninger in pairs, both of a pair solved on the
 * same snapshot of a pool of 30, as two workers would: the first claims, the second heeds its claim
 * and books after it. Counts the second plans that clash, for no claims and for claim margins 1 to 4,
 * with how many claimed members the plans used, over five pools alike but for their members' ids.
 */
/** Pools alike but for their members' ids, which set each ordning's own order of them (solver/pool.ts): five samples of 20 pairs. */
const POOLS = ['p', 'q', 'r', 's', 't'].map((prefix) => poolMembers(prefix));

export async function claimsBench(): Promise<void> {
  console.log(`## Claims: pairs of first plans solved on one snapshot of the pool (${POOLS.length} pools of 30, 20 pairs each)\n`);
  console.log('| claim margin | clashes (per pool) | clashing members in the first\'s claim / outside it | unfilled | claimed members used / claimed |');
  console.log('|---|---|---|---|---|');
  for (const margin of (process.env.CLAIM_MARGINS ?? '0,1,2,3,4').split(',').map(Number)) {
    const rs: Awaited<ReturnType<typeof pairs>>[] = [];
    for (const members of POOLS) rs.push(await pairs(members, margin));
    const sum = (k: keyof (typeof rs)[number]) => rs.reduce((t, r) => t + r[k], 0);
    console.log(`| ${margin || 'no claims'} | ${sum('clashes')} (${rs.map((r) => r.clashes).join(', ')}) | ${sum('inClaim')} / ${sum('outside')} | ${sum('unfilled')} | ${sum('used')} / ${sum('claimed')} |`);
  }
  console.log('');
}

async function pairs(MEMBERS: Assistant[], margin: number) {
  let bookings: ExternalBooking[] = [];
  const out = { clashes: 0, unfilled: 0, used: 0, claimed: 0, inClaim: 0, outside: 0 };
  for (let i = 0; i < 40; i += 2) {
    const [first, second] = [i, i + 1].map((k) => ScheduleRequestSchema.parse(poolOrdning(k)));
    const snapshot = bookings;
    const picks = (r: ScheduleRequest, taken: string[]) => (margin ? firstPlanClaim(r, MEMBERS, snapshot, new Set(taken), margin) : []);
    const firstClaim = picks(first!, []);
    const secondClaim = picks(second!, firstClaim);
    const a = await solve(first!, MEMBERS, snapshot, []);
    const b = await solve(second!, MEMBERS, snapshot, firstClaim);
    for (const [claim, plan] of [[firstClaim, a], [secondClaim, b]] as const) {
      out.claimed += claim.length;
      out.used += claim.filter((m) => poolMembersOf(plan).has(m)).length;
    }
    bookings = [...bookings, ...poolBookings(first!, `s${i}`, a)];
    // The second books after the first: a clash is solved again on the fresh bookings.
    const clashes = poolClashes({ request: second!, members: MEMBERS, shifts: b.shifts, bookings });
    const clashed = clashes.length > 0;
    for (const m of clashingMembers(clashes)) out[firstClaim.includes(m) ? 'inClaim' : 'outside']++;
    const booked = clashed ? await solve(second!, MEMBERS, bookings, []) : b;
    out.clashes += clashed ? 1 : 0;
    bookings = [...bookings, ...poolBookings(second!, `s${i + 1}`, booked)];
    out.unfilled += a.unfilled.length + booked.unfilled.length;
  }
  return out;
}

/** A first plan as a worker's planner thread solves it: the pool's members priced in the ordning's order, claimed ones higher. */
const solve = (request: ScheduleRequest, members: Assistant[], bookings: ExternalBooking[], claimed: string[]): Promise<ScheduleResult> => runTask({ kind: 'plan', request, members, bookings, claimed }, () => {});

const poolMembersOf = (plan: ScheduleResult) => new Set(plan.shifts.flatMap((s) => s.assistantIds.filter((_, k) => s.sources[k] === 'pool')));
