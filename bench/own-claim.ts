import { firstPlanClaim, ScheduleRequestSchema, type ScheduleRequest } from '../solver/index.ts';
import { LEVELS } from '../solver/levels.ts';
import type { ExternalBooking, ScheduleResult } from '../solver/result.ts';
import { runTask } from '../src/planner/task.ts';
import { poolBookings } from '../src/pool/optimistic.ts';
import { poolMembers, poolOrdning } from './pool.ts';

/**
 * `npm run bench -- --own-claim`: a lever measured and not taken (bench/RESULTS.md). The pool bench's
 * 40 first plans in a row, in one process, each solved twice on the same bookings:
 * - with the whole pool, as the service does;
 * - on its own claim alone (solver/pool-claims.ts), and with the whole pool only if a place stays open.
 * Prints both ways' solver time and how many plans reached the same value on every level. The plans
 * that did not are listed by the first level that differs.
 * Run twice, once booking the whole pool's plans and once the restricted ones.
 * The restricted solve is 3-4 times faster, but it is not exact: fairness can be lost where the
 * claimed members cannot go. It would be kept only with a bound proven on the whole pool at every level.
 */
const members = poolMembers();

const whole = (request: ScheduleRequest, bookings: ExternalBooking[]) => runTask({ kind: 'plan', request, members, bookings }, () => {});

async function ownClaim(request: ScheduleRequest, bookings: ExternalBooking[]): Promise<ScheduleResult> {
  const claim = new Set(firstPlanClaim(request, members, bookings, new Set()));
  const narrow = await runTask({ kind: 'plan', request, members: members.filter((m) => claim.has(m.id)), bookings }, () => {});
  return narrow.unfilled.length ? whole(request, bookings) : narrow;
}

/** The first level whose value differs, as `i: level whole -> own claim`; null when every level is the same. */
function firstDifference(i: number, full: ScheduleResult, own: ScheduleResult): { text: string; worse: boolean } | null {
  const k = full.solver.levels.findIndex((l, n) => Math.abs(l.value - own.solver.levels[n]!.value) > 1e-6);
  if (k < 0) return null;
  const [a, b] = [full.solver.levels[k]!, own.solver.levels[k]!];
  const worse = LEVELS.find((l) => l.name === a.name)!.sense === 'max' ? b.value < a.value : b.value > a.value;
  return { text: `${i}: ${a.name} ${a.value.toFixed(3)} -> ${b.value.toFixed(3)}`, worse };
}

export async function ownClaimBench(): Promise<void> {
  console.log('## A first plan on its own claim first, against the whole pool (the pool bench\'s 40 plans in a row)\n');
  console.log('| plans booked | whole pool s | own claim s | same on every level | worse (first level that differs) | better | places open, whole / own |');
  console.log('|---|---|---|---|---|---|---|');
  for (const booked of ['whole pool', 'own claim'] as const) {
    const bookings: ExternalBooking[] = [];
    const out = { wholeMs: 0, ownMs: 0, same: 0, worse: [] as string[], better: [] as string[], openWhole: 0, openOwn: 0 };
    for (let i = 0; i < 40; i++) {
      const request = ScheduleRequestSchema.parse(poolOrdning(i));
      const full = await whole(request, bookings);
      const own = await ownClaim(request, bookings);
      out.wholeMs += full.solver.timeMs;
      out.ownMs += own.solver.timeMs;
      out.openWhole += full.unfilled.length;
      out.openOwn += own.unfilled.length;
      const d = firstDifference(i, full, own);
      if (!d) out.same++;
      else out[d.worse ? 'worse' : 'better'].push(d.text);
      bookings.push(...poolBookings(request, `s${i}`, booked === 'whole pool' ? full : own));
    }
    console.log(`| ${booked} | ${(out.wholeMs / 1000).toFixed(2)} | ${(out.ownMs / 1000).toFixed(2)} | ${out.same} / 40 | ${out.worse.length}: ${out.worse.join('; ')} | ${out.better.length}: ${out.better.join('; ')} | ${out.openWhole} / ${out.openOwn} |`);
  }
  console.log('');
}
