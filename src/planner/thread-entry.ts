import { parentPort, workerData } from 'node:worker_threads';
import { TIME_LIMIT_REACHED, warmUpEngines, warmUpPlanner } from '../../solver/index.ts';
import type { FromPlanner, ToPlanner } from './messages.ts';
import { watchHeap } from './heap.ts';
import { runTask, taskTimeLimitMs } from './task.ts';
import { latestEvery } from '../latest-every.ts';

/**
 * How long past its time limit a solve runs before it is stopped here and answers with its best
 * plan: an engine call started just before the limit, on a busy machine, can overrun it by seconds,
 * and the planner kills a thread that overruns by its whole grace (src/planner/planner.ts).
 */
const STOP_AFTER_LIMIT_MS = 250;

/**
 * Progress goes to the main thread at most this often, the latest kept for the next post: a solve
 * reports each phase and level (about ten times in a plan of a tenth of a second), and every
 * message costs both threads a copy and a wake-up while the main thread stores at most every 250 ms.
 */
const PROGRESS_POST_MS = 50;

// A planner thread: one task at a time, the whole solve (normalise, build, engines, check,
// diagnose) off the service's event loop, under the heap limit the thread was started with.
const port = parentPort!;
const post = (m: FromPlanner) => port.postMessage(m);
let running: AbortController | undefined;

port.on('message', (m: ToPlanner) => {
  if (m.type === 'stop') return void running?.abort();
  const cancel = (running = new AbortController());
  const timeUp = new AbortController();
  const watchdog = setTimeout(() => timeUp.abort(TIME_LIMIT_REACHED), taskTimeLimitMs(m.task) + STOP_AFTER_LIMIT_MS);
  const heap = watchHeap();
  const reported = latestEvery<[number, string]>(PROGRESS_POST_MS, ([fraction, phase]) => post({ type: 'progress', fraction, phase }));
  const progress = (fraction: number, phase: string) => {
    heap.sample();
    reported.report([fraction, phase]);
  };
  // The answer ends the task: no progress report may follow it.
  const answer = (m: FromPlanner) => (reported.stop(), post(m));
  runTask(m.task, progress, AbortSignal.any([cancel.signal, timeUp.signal]))
    .then(
      (result) => answer({ type: 'done', result: { ...result, solver: { ...result.solver, peakHeapMb: heap.stop() } } }),
      (err: unknown) => answer({ type: 'failed', message: err instanceof Error ? err.message : String(err) }),
    )
    .finally(() => {
      clearTimeout(watchdog);
      heap.stop();
    });
});

await warmUpEngines();
await warmUpPlanner((workerData as { warmUpSolves?: number } | null)?.warmUpSolves ?? 0);
post({ type: 'ready' });
