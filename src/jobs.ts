import type { ScheduleRequest } from '../solver/request.ts';
import type { ProgressReport, ScheduleResult } from '../solver/result.ts';
import type { Basis, JobData, JobHandler, PoolStore, ScheduleStore } from './ports.ts';
import type { Logger } from './logger.ts';
import { PlannerFailure, type Planner } from './planner/planner.ts';
import type { Metrics } from './metrics.ts';
import { callbackOf, type Notice, type Notifier } from './notices/notifier.ts';
import { bookOptimistically, type Repair, type Solve } from './pool/optimistic.ts';
import { latestEvery } from './latest-every.ts';

const PROGRESS_EVERY_MS = 250;
/** How often a running job looks for a cancel or a delete of its schedule (either stops the solve). */
const CANCEL_POLL_MS = 300;
/** Saves refused because a report came in meanwhile; each retry re-plans on the latest version with every report. */
const SAVE_TRIES = 5;

export interface JobDeps {
  store: ScheduleStore;
  pool: PoolStore;
  log: Logger;
  planner: Planner;
  /** Completion notices: queued before the job ends, so the queue's at-least-once covers them. */
  notifier?: Notifier;
  metrics?: Metrics;
}
type Deps = JobDeps;

/**
 * The one job handler both modes run: one job per schedule at a time (the schedule's lock), each
 * planning on the latest version with every report accepted so far, saved only if nothing moved.
 * The solve itself runs in a planner thread (src/planner/).
 */
export function jobHandler(deps: JobDeps): JobHandler {
  return (job, progress, abandoned) => deps.store.exclusive(job.scheduleId, () => runJob(deps, job, progress, abandoned));
}

/** A job the queue gave up on (started too often: its solves kept killing their process). */
export function giveUp({ store, log, notifier, metrics }: Pick<JobDeps, 'store' | 'log' | 'notifier' | 'metrics'>) {
  return async (job: JobData, reason: string) => {
    await store.update(job.scheduleId, { status: 'failed', progress: undefined, error: { code: 'solve_abandoned', message: `the solve was started too often without finishing (${reason}); it is not tried again` } });
    log.error({ scheduleId: job.scheduleId, kind: job.kind, reason }, 'schedule abandoned');
    metrics?.jobEnded(job.kind, 'failed');
    await noticeFailed({ store, notifier }, job.scheduleId);
  };
}

const notice = (scheduleId: string, status: 'completed' | 'failed', version: number, outcome: Notice['outcome']): Notice => ({
  event: status === 'completed' ? 'schedule.completed' : 'schedule.failed',
  scheduleId,
  status,
  version,
  outcome,
  at: new Date().toISOString(),
});

async function noticeFailed({ store, notifier }: Pick<JobDeps, 'store' | 'notifier'>, scheduleId: string) {
  if (!notifier?.enabled) return;
  const [record, input] = await Promise.all([store.get(scheduleId), store.getInput(scheduleId)]);
  // The failure's own time tells it apart from an earlier failure of the same version.
  if (record && input) await notifier.notify(notice(scheduleId, 'failed', record.version, null), callbackOf(input), record.updatedAt);
}

/**
 * A job that found nothing to plan may be one run again after a crash that came between its save
 * and its notice: the notice of the version that stands is queued again, under the same delivery id,
 * so a notice already queued or delivered is not sent twice.
 */
async function noticeStanding({ store, notifier }: Pick<JobDeps, 'store' | 'notifier'>, scheduleId: string, input: ScheduleRequest) {
  if (!notifier?.enabled) return;
  const record = await store.get(scheduleId);
  if (record?.status !== 'completed' || record.version === 0) return;
  const result = await store.getVersion(scheduleId, record.version);
  if (result) await notifier.notify(notice(scheduleId, 'completed', record.version, result.outcome), callbackOf(input));
}

/** `abandoned`: the queue gave the job back (shutdown): nothing is saved, and it has not failed. */
async function runJob(deps: Deps, job: JobData, progress: (fraction: number, phase: string) => void, abandoned?: AbortSignal): Promise<void> {
  const { store, pool, log } = deps;
  const input = await store.getInput(job.scheduleId);
  if (!input) return; // deleted while queued
  const started = Date.now();
  // The queue's progress goes with the stored one, as often: each is a write to Redis.
  const stored = storedProgress((p) => {
    progress(p.fraction, p.phase);
    return store.update(job.scheduleId, { status: 'solving', progress: p });
  });
  const onProgress: ProgressReport = (fraction, phase) => stored.report({ fraction, phase });
  let reportsTried = '';
  const cancel = watchCancel(store, job.scheduleId);
  try {
    const saved = await planAndSave(deps, job, input, onProgress, (r) => (reportsTried = r), cancel.signal, () => stored.done(), abandoned);
    cancel.stop();
    await stored.done();
    // Deleted while solving: the delete may have released the pool before this booked it.
    if (input.pool && !(await store.get(job.scheduleId))) await pool.release(input.pool.id, job.scheduleId);
    if (saved) {
      log.info({ scheduleId: job.scheduleId, kind: job.kind, version: saved.version, reports: saved.reports, outcome: saved.result.outcome, engine: saved.result.solver.engine, ms: Date.now() - started, solveMs: Math.round(saved.result.solver.timeMs), violations: saved.result.compliance.violations.length, peakHeapMb: saved.result.solver.peakHeapMb }, 'schedule solved');
      deps.metrics?.planSaved(job.kind, saved.result, Date.now() - started);
      deps.metrics?.jobEnded(job.kind, 'completed');
      // Before the job ends: a crash from here on leaves the job to run again, and the notice with it.
      await deps.notifier?.notify(notice(job.scheduleId, 'completed', saved.version, saved.result.outcome), callbackOf(input));
    } else if (!abandoned?.aborted) await noticeStanding(deps, job.scheduleId, input);
  } catch (err) {
    cancel.stop();
    await stored.done();
    if (abandoned?.aborted) return;
    const message = `${reportsTried ? `sick-leave ${reportsTried} not applied: ` : ''}${err instanceof Error ? err.message : String(err)}`;
    const code = err instanceof PlannerFailure ? err.code : 'solve_failed';
    await store.update(job.scheduleId, { status: 'failed', progress: undefined, error: { code, message }, cancelRequestedAt: undefined });
    // The message is for the schedule's owner (it may name reports and assistants); the log gets the code.
    log.error({ scheduleId: job.scheduleId, kind: job.kind, code }, 'schedule failed');
    deps.metrics?.jobEnded(job.kind, 'failed');
    await noticeFailed(deps, job.scheduleId);
  }
}

interface Progress { fraction: number; phase: string }

/**
 * Progress writes at most every PROGRESS_EVERY_MS, in order, the latest never dropped: a phase that
 * lasts the whole time limit (one hard level) must show, though it began right after a quick one.
 * `done` drops what is not yet written and waits for the writes under way, so the result comes last.
 */
function storedProgress(write: (p: Progress) => Promise<unknown>) {
  let pending: Promise<unknown> = Promise.resolve();
  const latest = latestEvery<Progress>(PROGRESS_EVERY_MS, (p) => {
    pending = pending.then(() => write(p)).catch(() => {});
  });
  return {
    report: latest.report,
    done() {
      latest.stop();
      return pending;
    },
  };
}

interface Saved { version: number; reports: number; result: ScheduleResult }

/**
 * Reads the latest version and every report, plans what they lack, and saves it as the next version
 * only if neither moved meanwhile (the store checks); otherwise plans again on the new latest.
 * Null when there was nothing to plan: a first plan already made, or every report already in.
 */
async function planAndSave(deps: Deps, job: JobData, input: ScheduleRequest, onProgress: ProgressReport, trying: (reports: string) => void, cancel: AbortSignal, progressWritten: () => Promise<unknown>, abandoned?: AbortSignal): Promise<Saved | null> {
  const { store } = deps;
  for (let i = 0; i < SAVE_TRIES; i++) {
    const record = await store.get(job.scheduleId);
    if (!record) return null; // deleted
    if (record.cancelRequestedAt) throw new PlannerFailure('cancelled', 'cancelled before the solve started');
    const reports = job.kind === 'sick-leave' ? await store.sickLeaves(job.scheduleId) : [];
    const basis: Basis = { version: record.version, sickLeaves: record.sickLeaves ?? 0 };
    const latest = record.version > 0 ? await store.getVersion(job.scheduleId, record.version) : null;
    if (job.kind === 'plan' ? latest !== null : reports.length <= basis.sickLeaves) {
      // A first plan that a recovered job already made, or reports another job already applied.
      if (job.kind === 'plan' || (await store.markCurrent(job.scheduleId, { ...basis, sickLeaves: reports.length }))) return null;
      continue; // a report came in just now: plan it here
    }
    if (job.kind === 'sick-leave' && !latest) throw new Error('no plan to re-plan from');
    trying(job.kind === 'sick-leave' ? `reports ${basis.sickLeaves + 1}-${reports.length}` : '');
    await store.update(job.scheduleId, { status: 'solving', progress: { fraction: 0, phase: 'queued' } });
    const solve: Solve = (members, bookings, claimed) =>
      deps.planner.run(
        latest ? { kind: 'replan', request: input, latest, applied: basis.sickLeaves, reports, members, bookings } : { kind: 'plan', request: input, members, bookings, claimed },
        onProgress,
        cancel,
      );
    // A re-plan already frees only the sick leave's shifts: on a clash it runs again whole.
    const repair: Repair | undefined = latest ? undefined : (plan, members, bookings, free, claimed) => deps.planner.run({ kind: 'repair', request: input, plan, free, members, bookings, claimed }, onProgress, cancel);
    // A solve handed back at shutdown is not saved: another worker plans it again.
    // Progress writes end first: one landing after the save would set a completed schedule back to solving
    // (the solve is over by then, so nothing reports until a refused save plans again).
    const save = async (result: ScheduleResult) => (await progressWritten(), abandoned?.aborted ? null : store.saveResult(job.scheduleId, result, { version: basis.version, sickLeaves: reports.length }));
    const saved = await bookOptimistically({ pool: deps.pool, log: deps.log, input, scheduleId: job.scheduleId, standing: latest, solve, repair, save });
    if (abandoned?.aborted) return null;
    if (saved) return { ...saved, reports: reports.length };
  }
  throw new Error('the schedule kept changing while it was re-planned; report again');
}

/**
 * Aborts when the schedule's cancel is asked for or the schedule is deleted. Polling the record
 * works the same in both modes and across processes; a failed read is tried again next time.
 */
function watchCancel(store: ScheduleStore, scheduleId: string): { signal: AbortSignal; stop: () => void } {
  const cancel = new AbortController();
  const timer = setInterval(() => {
    store.get(scheduleId).then((r) => (!r || r.cancelRequestedAt) && cancel.abort(), () => {});
  }, CANCEL_POLL_MS);
  timer.unref();
  const stop = () => clearInterval(timer);
  cancel.signal.addEventListener('abort', stop, { once: true });
  return { signal: cancel.signal, stop };
}
