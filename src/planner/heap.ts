import { getHeapStatistics } from 'node:v8';

/** How often the planner thread samples its heap while a solve awaits its engines. */
const SAMPLE_EVERY_MS = 50;
const MB = 1024 * 1024;

/**
 * The planner thread's peak heap during one solve (V8's used heap of this thread's isolate; the
 * engines run in threads of their own). Sampled every SAMPLE_EVERY_MS, at every progress report and
 * at the end: a synchronous stretch between samples (building a model) can peak unseen, so the
 * figure is a lower bound, close because each phase reports as it ends.
 */
export function watchHeap(): { sample: () => void; stop: () => number } {
  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, getHeapStatistics().used_heap_size);
  };
  sample();
  const timer = setInterval(sample, SAMPLE_EVERY_MS);
  timer.unref();
  return {
    sample,
    stop: () => {
      sample();
      clearInterval(timer);
      return Math.round((peak / MB) * 10) / 10;
    },
  };
}
