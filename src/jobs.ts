import { planSchedule, replanSickLeave, ruleParameters, withPool } from '../solver/index.ts';
import type { Assistant, ScheduleRequest, SickLeaveRequest } from '../solver/request.ts';
import type { ExternalBooking, ProgressReport, ScheduleResult } from '../solver/result.ts';
import type { JobData, JobHandler, PoolStore, ScheduleStore } from './ports.ts';
import type { Logger } from './logger.ts';

const PROGRESS_EVERY_MS = 250;
const BOOKING_TRIES = 5;

/** The one job handler both modes run: load the input, solve, store the result or the error. */
export function jobHandler(store: ScheduleStore, pool: PoolStore, log: Logger): JobHandler {
  return async (job, progress, abandoned) => {
    const input = await store.getInput(job.scheduleId);
    if (!input) return; // deleted while queued
    const started = Date.now();
    await store.update(job.scheduleId, { status: 'solving', progress: { fraction: 0, phase: 'queued' } });
    let last = 0;
    let pending: Promise<void> = Promise.resolve(); // progress writes, in order, done before the result
    const onProgress: ProgressReport = (fraction, phase) => {
      progress(fraction, phase);
      if (Date.now() - last < PROGRESS_EVERY_MS) return;
      last = Date.now();
      pending = pending.then(() => store.update(job.scheduleId, { status: 'solving', progress: { fraction, phase } })).catch(() => {});
    };
    try {
      const solve = job.kind === 'sick-leave' ? await sickLeaveSolver(store, job, input, onProgress) : firstPlanSolver(input, onProgress);
      const result = await withPoolBookings(pool, input, job.scheduleId, solve);
      await pending;
      if (abandoned?.aborted) return; // handed back: another worker solves it again
      if (!(await store.get(job.scheduleId))) {
        // Deleted while solving: the delete may have released the pool before this booked it.
        if (input.pool) await pool.release(input.pool.id, job.scheduleId);
        return;
      }
      const version = await store.saveResult(job.scheduleId, result);
      log.info({ scheduleId: job.scheduleId, kind: job.kind, version, outcome: result.outcome, engine: result.solver.engine, ms: Date.now() - started, violations: result.compliance.violations.length }, 'schedule solved');
    } catch (err) {
      await pending;
      if (abandoned?.aborted) return; // a solve cut short by shutdown has not failed
      const message = err instanceof Error ? err.message : String(err);
      await store.update(job.scheduleId, { status: 'failed', progress: undefined, error: { code: 'solve_failed', message } });
      log.error({ scheduleId: job.scheduleId, kind: job.kind, err: message }, 'schedule failed');
    }
  };
}

/** Pool shifts of a plan as bookings the other ordninger's re-plans must respect. */
function poolBookings(input: ScheduleRequest, scheduleId: string, result: ScheduleResult): ExternalBooking[] {
  return result.shifts.flatMap((s) =>
    s.assistantIds.filter((_, i) => s.sources[i] === 'pool').map((assistantId) => ({ assistantId, ordningId: input.ordning.id, scheduleId, shiftId: s.id, start: s.start, end: s.end, kind: s.kind })),
  );
}

type Solver = (members: Assistant[], bookings: ExternalBooking[]) => Promise<ScheduleResult>;

/** A first plan: the team, and the pool's members when the team is short. */
function firstPlanSolver(input: ScheduleRequest, onProgress: ProgressReport): Solver {
  return (members, bookings) => {
    const { request, options } = withPool(input, members, bookings);
    return planSchedule(request, { ...options, onProgress });
  };
}

/** A re-plan on the latest version, with every sick report so far. */
async function sickLeaveSolver(store: ScheduleStore, job: JobData, input: ScheduleRequest, onProgress: ProgressReport): Promise<Solver> {
  const record = await store.get(job.scheduleId);
  const previous = record && (await store.getVersion(job.scheduleId, record.version));
  const n = job.sickLeave ?? 0;
  const reports = await Promise.all(Array.from({ length: n }, (_, i) => store.getSickLeave(job.scheduleId, i + 1)));
  const sick = reports.at(-1);
  if (!previous || !sick) throw new Error('no plan or sick-leave report to re-plan from');
  const earlier = reports.slice(0, -1).filter((r): r is SickLeaveRequest => r !== null);
  return (members, bookings) => replanSickLeave({ request: input, previous, sick, earlier, pool: members, bookings, onProgress });
}

/**
 * With a pool: read its members and bookings, solve and book under the pool's lock, and book
 * atomically as well, so no pool member is ever given clashing shifts in two ordninger.
 */
async function withPoolBookings(pool: PoolStore, input: ScheduleRequest, scheduleId: string, solve: Solver): Promise<ScheduleResult> {
  const poolId = input.pool?.id;
  if (!poolId) return solve([], []);
  const restMs = ruleParameters(input.rules.profile, input.rules.overrides).minDailyRestHours * 3_600_000;
  return pool.exclusive(poolId, async () => {
    for (let i = 0; i < BOOKING_TRIES; i++) {
      const others = (await pool.bookings(poolId)).filter((b) => b.scheduleId !== scheduleId);
      const result = await solve(await pool.members(poolId), others);
      if (await pool.book(poolId, scheduleId, poolBookings(input, scheduleId, result), restMs)) return result;
    }
    throw new Error('pool bookings kept changing; try again');
  });
}
