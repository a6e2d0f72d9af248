import { DateTime } from 'luxon';
import { asMended, clashingMembers, firstPlanClaim, poolClashes, poolShiftBookings, scoresBelow, violationKey } from '../../solver/index.ts';
import type { Assistant, ScheduleRequest } from '../../solver/request.ts';
import type { ExternalBooking, ScheduleResult, Violation } from '../../solver/result.ts';
import type { Logger } from '../logger.ts';
import type { PoolStore } from '../ports.ts';

/** Check-and-book rounds after a solve on a snapshot; the clash of the last is mended under the pool's lock. */
export const OPTIMISTIC_TRIES = 3;
/** Check-and-book rounds under the lock (nobody else books meanwhile): only members kept off shifts can still clash. */
const LOCKED_TRIES = 5;

/** Solves against the pool's members and the other schedules' bookings given; `claimed`: members other first plans in flight claimed. */
export type Solve = (members: Assistant[], bookings: ExternalBooking[], claimed: string[]) => Promise<ScheduleResult>;
/** Re-plans only the shifts of `free` pool members in `plan`, against fresh bookings (first plans only). */
export type Repair = (plan: ScheduleResult, members: Assistant[], bookings: ExternalBooking[], free: string[], claimed: string[]) => Promise<ScheduleResult>;
/** Saves the plan; null when the store refused it (the schedule moved meanwhile). */
export type Save = (result: ScheduleResult) => Promise<number | null>;

export interface PoolJob {
  pool: PoolStore;
  log: Logger;
  input: ScheduleRequest;
  scheduleId: string;
  /** The version that stands: its bookings come back when the save is refused. */
  standing: ScheduleResult | null;
  solve: Solve;
  repair?: Repair;
  save: Save;
}

export type Booked = { version: number; result: ScheduleResult } | null;

/** Pool shifts of a plan as bookings the other ordninger's plans must respect (solver/pool-check.ts poolShiftBookings). */
export const poolBookings = (input: ScheduleRequest, scheduleId: string, result: ScheduleResult | null): ExternalBooking[] => poolShiftBookings(input, scheduleId, result?.shifts ?? []);

/**
 * With a pool: solve on a snapshot of its members and bookings without its lock, then, under the
 * lock and only for as long as it takes, check the plan's pool shifts against the pool's CURRENT
 * bookings with every rule that spans ordninger (solver/pool-check.ts), and book and save when clean.
 * On a clash only the clashing members' shifts are re-planned (a first plan), or the re-plan runs
 * again on the fresh bookings; the clash of the last of OPTIMISTIC_TRIES rounds is mended under the
 * lock, checked the same way. A first plan claims the members it will likely take while it solves,
 * so that first plans solved meanwhile reach for others (solver/pool-claims.ts).
 * docs/adr/0007-optimistic-pool-bookings.md.
 */
export async function bookOptimistically(job: PoolJob): Promise<Booked> {
  const poolId = job.input.pool?.id;
  if (!poolId) return saved(job, await job.solve([], [], []));
  const members = await job.pool.members(poolId);
  const bookings = await othersIn(job.pool, poolId, job.scheduleId);
  // Re-plans keep most of a plan that is booked already: only first plans claim, and heed claims.
  if (job.standing) return book(job, poolId, members, bookings, [], async () => []);
  const claimed = async () => [...(await job.pool.claims(poolId))].filter(([id]) => id !== job.scheduleId).flatMap(([, m]) => m);
  // Read and claim one at a time: first plans that start at once (all posted together) would
  // otherwise each claim before seeing the other's, and reach for the same members.
  const others = await job.pool.claiming(poolId, async () => {
    const now = await claimed();
    await job.pool.claim(poolId, job.scheduleId, firstPlanClaim(job.input, members, bookings, new Set(now)), claimTtlMs(job.input));
    return now;
  });
  try {
    return await book(job, poolId, members, bookings, others, claimed);
  } finally {
    await job.pool.unclaim(poolId, job.scheduleId).catch(() => {});
  }
}

/** A claim outlives its solve only if the solve dies: then it lapses after twice the time limit. */
const claimTtlMs = (input: ScheduleRequest) => 2 * input.solver.timeLimitSeconds * 1000 + 10_000;

/**
 * Solve on the snapshot, then check and book under the lock; on a clash mend and try again.
 * `othersClaimed`: the claims of others as the job claimed its own; `claimed` reads them afresh.
 */
async function book(job: PoolJob, poolId: string, snapshot: Assistant[], bookings: ExternalBooking[], othersClaimed: string[], claimed: () => Promise<string[]>): Promise<Booked> {
  const { pool, log, scheduleId } = job;
  const barred = new Barred(job.input.ordning.timezone);
  // The job's peak heap over every solve it runs (a repair is a solve of its own).
  let peak: number | undefined;
  const seen = (r: ScheduleResult) => ((peak = maxOf(peak, r.solver.peakHeapMb)), r);
  const solve: Solve = async (...a) => seen(await job.solve(...a));
  const repair: Repair | undefined = job.repair && (async (...a) => seen(await job.repair!(...a)));
  let members = snapshot;
  let result = await solve(members, bookings, othersClaimed);
  const again = async (checked: Clashed) => {
    // The members as the check read them: without those who left, with their records as they are now.
    members = checked.present;
    barred.add(checked.barred, result, job.standing);
    result = await mend(job, poolId, { solve, repair }, result, barred.apply(members), checked, await claimed());
    // Members kept off shifts narrow what a whole solve proves, as the kept plan of a repair does.
    if (barred.any) result = asMended(result);
  };
  for (let round = 1; round <= OPTIMISTIC_TRIES; round++) {
    let heldMs = 0;
    const checked = await pool.exclusive(poolId, async () => {
      const from = performance.now();
      try {
        return await checkAndBook(job, poolId, withPeak(result, peak));
      } finally {
        heldMs = Math.round(performance.now() - from);
      }
    });
    if (checked.booked) {
      log.info({ scheduleId, poolId, round, heldMs, open: result.unfilled.length }, 'pool booked');
      return checked.saved;
    }
    log.info({ scheduleId, poolId, round, heldMs, clashes: checked.clashes, members: checked.free.length, rules: checked.rules, barred: checked.barred.length }, 'pool clash at booking');
    if (round < OPTIMISTIC_TRIES) await again(checked);
  }
  // The last clash is mended under the lock, on the bookings read there: nobody books meanwhile,
  // so only members kept off shifts can still clash.
  log.info({ scheduleId, poolId }, 'pool solve under the lock');
  return pool.exclusive(poolId, async () => {
    for (let i = 0; i < LOCKED_TRIES; i++) {
      const checked = await checkAndBook(job, poolId, withPeak(result, peak));
      if (checked.booked) return checked.saved;
      await again(checked);
    }
    throw new Error('pool bookings kept clashing; try again');
  });
}

/**
 * The plan to check next after a clash: a first plan's clashing members' shifts re-planned (a
 * repair), a re-plan solved again on the fresh bookings. The score comes first: a repair keeps the
 * rest of the plan, which may be what leaves a place open now, or puts a team member on the freed
 * shifts over their contract; a repair worse than the plan it mends on any level but pool cost is
 * followed by a solve of the whole plan, as it would have been had it started now.
 */
async function mend(job: PoolJob, poolId: string, run: { solve: Solve; repair?: Repair }, plan: ScheduleResult, view: Assistant[], checked: Clashed, others: string[]): Promise<ScheduleResult> {
  if (!run.repair || !checked.free.length) return run.solve(view, checked.current, others);
  // The rest of the plan it keeps was proven best on bookings that have changed since: the repair proves nothing.
  const mended = asMended(await run.repair(plan, view, checked.current, checked.free, others));
  if (!worse(mended, plan)) return mended;
  job.log.info({ scheduleId: job.scheduleId, poolId, open: mended.unfilled.length, before: plan.unfilled.length }, 'pool repair scored lower');
  const whole = await run.solve(view, checked.current, others);
  // A whole solve proven best scores at least what the repair does; one cut short (the time
  // limit, a cancel) may not, and then the repair stands.
  return worse(whole, mended) ? mended : whole;
}

const othersIn = async (pool: PoolStore, poolId: string, scheduleId: string) => (await pool.bookings(poolId)).filter((b) => b.scheduleId !== scheduleId);

/**
 * `present`: the pool's members as the check read them (a member the plan took may have left the
 * pool meanwhile, by a DELETE of a member no plan had booked then); `rules`: the rules the clashes broke.
 */
interface Clashed { booked: false; clashes: number; free: string[]; barred: string[]; present: Assistant[]; current: ExternalBooking[]; rules: string[] }
type Checked = { booked: true; saved: Booked } | Clashed;

/**
 * Under the pool's lock: the cross-ordning check against the current bookings and the members'
 * current records (one made unavailable since the snapshot clashes), then book and save.
 */
async function checkAndBook(job: PoolJob, poolId: string, result: ScheduleResult): Promise<Checked> {
  const { pool, scheduleId, input } = job;
  const [current, present] = await Promise.all([othersIn(pool, poolId, scheduleId), pool.members(poolId)]);
  const gone = leftThePool(result, new Set(present.map((m) => m.id)));
  if (gone.length) return { booked: false, clashes: gone.length, free: gone, barred: [], present, current, rules: [] };
  const clashes = newClashes(poolClashes({ request: input, members: present, shifts: result.shifts, bookings: current }), job.standing && poolClashes({ request: input, members: present, shifts: job.standing.shifts, bookings: current }));
  // A clash the solver does not see (in work elsewhere only, or by another ordning's rules): the member is kept off those shifts.
  const barred = [...clashingMembers(clashes.filter((v) => v.unseen))];
  if (clashes.length) return { booked: false, clashes: clashes.length, free: [...clashingMembers(clashes)], barred, present, current, rules: [...new Set(clashes.map((v) => v.rule))] };
  // The store checks overlap and rest once more; refused only if someone booked without the lock.
  if (!(await pool.book(poolId, scheduleId, poolBookings(input, scheduleId, result)))) return { booked: false, clashes: 0, free: [], barred: [], present, current, rules: [] };
  return { booked: true, saved: await bookedOrBack(job, poolId, result) };
}

/**
 * Whether plan `a` scores lower than `b` on the levels before pool cost (coverage by priority,
 * fairness, spread, wishes), the first where they differ deciding. Pool cost, the last, only prices
 * members, and a mend may need dearer ones.
 */
const worse = (a: ScheduleResult, b: ScheduleResult) => scoresBelow(a.solver.levels, b.solver.levels, 'wishes');

/** Pool members the plan took who are no longer members. */
const leftThePool = (result: ScheduleResult, present: Set<string>) =>
  [...new Set(result.shifts.flatMap((s) => s.assistantIds.filter((id, i) => s.sources[i] === 'pool' && !present.has(id))))];

/**
 * Clashes the standing version has with the same bookings are not this job's to mend: a re-plan
 * keeps everything outside the sick leave, and may not be refused for what it kept (say a stricter
 * limit of this ordning than the one another ordning booked with).
 */
function newClashes<V extends Violation>(clashes: V[], standing: Violation[] | null): V[] {
  if (!standing?.length) return clashes;
  const before = new Set(standing.map(violationKey));
  return clashes.filter((v) => !before.has(violationKey(v)));
}

/**
 * Members kept off the shifts they had in a plan that clashed in a way the solver does not see (a
 * rule broken elsewhere through them, or by another ordning's rules: solver/pool-check.ts PoolClash):
 * added to their unavailability for this job's solves.
 */
class Barred {
  private off = new Map<string, { start: string; end: string }[]>();
  constructor(private zone: string) {}

  get any(): boolean {
    return this.off.size > 0;
  }

  /**
   * Not over the shifts the standing version already gave them: a re-plan keeps those (everything
   * outside the sick leave), and its clash is in what it added (clashes the standing version has are
   * not the re-plan's); kept off them, the kept plan would read as breaking their record.
   */
  add(memberIds: string[], plan: ScheduleResult, standing: ScheduleResult | null) {
    const local = (iso: string) => DateTime.fromISO(iso, { setZone: true }).setZone(this.zone).toFormat("yyyy-MM-dd'T'HH:mm:ss");
    const had = (id: string, shiftId: string) => standing?.shifts.some((s) => s.id === shiftId && s.assistantIds.includes(id)) ?? false;
    for (const id of memberIds) {
      const off = plan.shifts.filter((s) => s.assistantIds.includes(id) && !had(id, s.id)).map((s) => ({ start: local(s.start), end: local(s.end) }));
      if (off.length) this.off.set(id, [...(this.off.get(id) ?? []), ...off]);
    }
  }

  apply(members: Assistant[]): Assistant[] {
    return members.map((m) => (this.off.has(m.id) ? { ...m, unavailable: [...m.unavailable, ...this.off.get(m.id)!] } : m));
  }
}

/** Saves a booked plan; when the save is refused the pool gets back the standing version's bookings. */
async function bookedOrBack(job: PoolJob, poolId: string, result: ScheduleResult): Promise<Booked> {
  const done = await saved(job, result);
  if (!done) await job.pool.book(poolId, job.scheduleId, poolBookings(job.input, job.scheduleId, job.standing));
  return done;
}

async function saved(job: PoolJob, result: ScheduleResult): Promise<Booked> {
  const version = await job.save(result);
  return version === null ? null : { version, result };
}

const maxOf = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.max(a, b));
/** The job's peak over every solve it ran (a repair is a solve of its own). */
const withPeak = (result: ScheduleResult, peak: number | undefined): ScheduleResult => (peak === undefined ? result : { ...result, solver: { ...result.solver, peakHeapMb: peak } });
