import { parentPort } from 'node:worker_threads';
import { warmUpEngines } from '../../solver/index.ts';
import type { FromPlanner, ToPlanner } from './messages.ts';
import { runTask } from './task.ts';

// A planner thread: one task at a time, the whole solve (normalise, build, engines, check,
// diagnose) off the service's event loop, under the heap limit the thread was started with.
const port = parentPort!;
const post = (m: FromPlanner) => port.postMessage(m);
let running: AbortController | undefined;

port.on('message', (m: ToPlanner) => {
  if (m.type === 'stop') return void running?.abort();
  const stop = (running = new AbortController());
  runTask(m.task, (fraction, phase) => post({ type: 'progress', fraction, phase }), stop.signal).then(
    (result) => post({ type: 'done', result }),
    (err: unknown) => post({ type: 'failed', message: err instanceof Error ? err.message : String(err) }),
  );
});

await warmUpEngines();
post({ type: 'ready' });
