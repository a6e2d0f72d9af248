import { AsyncResource } from 'node:async_hooks';
import { Worker } from 'node:worker_threads';
import type { ProgressReport, ScheduleResult } from '../../solver/result.ts';
import type { FromPlanner, ToPlanner } from './messages.ts';
import { taskTimeLimitMs, type PlannerTask } from './task.ts';

const THREAD_URL = new URL('./thread.mjs', import.meta.url);

export interface PlannerLimits {
  /** Heap of one planner thread (V8 old generation); past it the thread dies, not the service. */
  heapMb: number;
  /** Past its time limit a task gets this long to answer, and so does a cancelled one; then it is killed. */
  killGraceMs: number;
  /** Small turnuses a new thread solves before it takes work: its first jobs then run at full speed. */
  warmUpSolves?: number;
}

/** Why a solve ended without a plan: each a message the arbeidsleder's app can show as it is. */
export class PlannerFailure extends Error {
  constructor(readonly code: 'out_of_memory' | 'over_time' | 'cancelled' | 'thread_failed' | 'solve_failed', message: string) {
    super(message);
  }
}

interface Thread { worker: Worker; ready: Promise<void> }

/**
 * Planner threads: every solve runs whole in one, so the event loop that answers HTTP never waits
 * for it, and a solve that runs out of memory or time takes down its thread, never the service.
 * Threads are kept warm between tasks (loading the solver and warming HiGHS takes seconds).
 */
export class Planner {
  private idle: Thread[] = [];
  private busy = new Set<Thread>();
  private closed = false;

  constructor(private limits: PlannerLimits, private keepWarm: number) {}

  /** Starts the threads kept warm, so the first solves do not wait for them. */
  async prepare(): Promise<void> {
    const started = Array.from({ length: Math.max(0, this.keepWarm - this.idle.length) }, () => this.spawn());
    this.idle.push(...started);
    await Promise.all(started.map((t) => t.ready.catch(() => {})));
  }

  /** Solves `task` in a thread; `stop` cancels it, and the thread answers with its best plan so far. */
  async run(task: PlannerTask, onProgress: ProgressReport, stop?: AbortSignal): Promise<ScheduleResult> {
    if (this.closed) throw new PlannerFailure('thread_failed', 'the planner is closing');
    const thread = this.idle.pop() ?? this.spawn();
    this.busy.add(thread);
    try {
      await thread.ready;
      // The thread's messages arrive outside the caller's async context: bound, progress still
      // runs as the caller (its tenant, src/tenancy/context.ts), so its store writes are allowed.
      return await this.solveIn(thread, task, AsyncResource.bind(onProgress), stop);
    } finally {
      this.busy.delete(thread);
    }
  }

  private solveIn({ worker, ready }: Thread, task: PlannerTask, onProgress: ProgressReport, stop?: AbortSignal): Promise<ScheduleResult> {
    const limitMs = taskTimeLimitMs(task);
    const { heapMb, killGraceMs } = this.limits;
    return new Promise<ScheduleResult>((resolve, reject) => {
      let settled = false;
      const end = (fail: PlannerFailure | null, result?: ScheduleResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(overTime);
        clearTimeout(cancelKill);
        stop?.removeEventListener('abort', onStop);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        const healthy = fail === null || fail.code === 'solve_failed';
        if (healthy && !this.closed && this.idle.length < this.keepWarm) this.idle.push({ worker, ready });
        else void worker.terminate();
        if (fail) reject(fail);
        else resolve(result!);
      };
      const overTime = setTimeout(
        () => end(new PlannerFailure('over_time', `the solve did not end within ${Math.round((limitMs + killGraceMs) / 1000)} s (its time limit ${limitMs / 1000} s) and was stopped; plan fewer weeks, needs or assistants at a time`)),
        limitMs + killGraceMs,
      );
      let cancelKill: NodeJS.Timeout | undefined;
      const onStop = () => {
        worker.postMessage({ type: 'stop' } satisfies ToPlanner);
        cancelKill = setTimeout(() => end(new PlannerFailure('cancelled', 'the solve was cancelled and did not answer in time')), killGraceMs);
      };
      const onMessage = (m: FromPlanner) => {
        if (m.type === 'progress') onProgress(m.fraction, m.phase);
        else if (m.type === 'done') end(null, m.result);
        else if (m.type === 'failed') end(new PlannerFailure('solve_failed', m.message));
      };
      const onError = (err: Error & { code?: string }) =>
        end(err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new PlannerFailure('out_of_memory', `the solve needed more than the ${heapMb} MB a solve may use and was stopped; plan fewer weeks, needs or assistants at a time`)
          : new PlannerFailure('thread_failed', `the planner thread failed: ${err.message}`));
      const onExit = (code: number) => end(new PlannerFailure('thread_failed', `the planner thread exited (${code})`));
      // Listeners of this task only: removing all would also stop the thread's messages reaching us.
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      // The task first: a stop sent before it would find nothing running and be lost.
      worker.postMessage({ type: 'run', task } satisfies ToPlanner);
      if (stop?.aborted) onStop();
      else stop?.addEventListener('abort', onStop, { once: true });
    });
  }

  private spawn(): Thread {
    const worker = new Worker(THREAD_URL, { resourceLimits: { maxOldGenerationSizeMb: this.limits.heapMb }, workerData: { warmUpSolves: this.limits.warmUpSolves ?? 0 } });
    const ready = new Promise<void>((resolve, reject) => {
      const onMessage = (m: FromPlanner) => m.type === 'ready' && (worker.off('message', onMessage), worker.off('error', reject), resolve());
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
    ready.catch(() => {});
    return { worker, ready };
  }

  /** Stops every thread: running solves end as failed (the queue hands their jobs back first). */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.idle, ...this.busy];
    this.idle = [];
    await Promise.all(all.map((t) => t.worker.terminate()));
  }
}
