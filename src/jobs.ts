import { planSchedule } from '../solver/index.ts';
import type { JobHandler, ScheduleStore } from './ports.ts';
import type { Logger } from './logger.ts';

const PROGRESS_EVERY_MS = 250;

/** The one job handler both modes run: load the input, solve, store the result or the error. */
export function jobHandler(store: ScheduleStore, log: Logger): JobHandler {
  return async (job, progress) => {
    const input = await store.getInput(job.scheduleId);
    if (!input) return; // deleted while queued
    const started = Date.now();
    await store.update(job.scheduleId, { status: 'solving', progress: { fraction: 0, phase: 'queued' } });
    let last = 0;
    let pending: Promise<void> = Promise.resolve(); // progress writes, in order, done before the result
    try {
      const result = await planSchedule(input, {
        onProgress: (fraction, phase) => {
          progress(fraction, phase);
          if (Date.now() - last < PROGRESS_EVERY_MS) return;
          last = Date.now();
          pending = pending.then(() => store.update(job.scheduleId, { status: 'solving', progress: { fraction, phase } })).catch(() => {});
        },
      });
      await pending;
      if (!(await store.get(job.scheduleId))) return;
      const version = await store.saveResult(job.scheduleId, result);
      log.info({ scheduleId: job.scheduleId, version, outcome: result.outcome, engine: result.solver.engine, ms: Date.now() - started, violations: result.compliance.violations.length }, 'schedule solved');
    } catch (err) {
      await pending;
      const message = err instanceof Error ? err.message : String(err);
      await store.update(job.scheduleId, { status: 'failed', progress: undefined, error: { code: 'solve_failed', message } });
      log.error({ scheduleId: job.scheduleId, err: message }, 'schedule failed');
    }
  };
}
