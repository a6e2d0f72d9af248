import { Unavailable, type JobCounts, type JobData, type JobHandler, type JobQueue } from '../ports.ts';

const jobKey = (job: JobData) => [job.kind, job.scheduleId, job.sickLeave].filter((p) => p !== undefined).join('-');

/** The embedded queue: jobs run in this process, `concurrency` at a time, in arrival order. */
export class MemoryQueue implements JobQueue {
  private waiting: JobData[] = [];
  private running = new Set<Promise<void>>();
  /** Jobs waiting or running, by key: enqueueing one of them again is a no-op, as in BullMQ. */
  private pending = new Set<string>();
  private abandoned = new AbortController();
  private handler?: JobHandler;
  private concurrency = 1;
  private closed = false;
  /** Jobs ended since start (the handler stores a failed solve itself, so a job fails only when it throws). */
  private ended = { completed: 0, failed: 0 };

  async enqueue(job: JobData) {
    if (this.closed) throw new Unavailable('the queue is closing');
    if (this.pending.has(jobKey(job))) return;
    this.pending.add(jobKey(job));
    this.waiting.push(job);
    this.pump();
  }

  work(handler: JobHandler, concurrency: number) {
    this.handler = handler;
    this.concurrency = concurrency;
    this.pump();
  }

  private pump() {
    while (this.handler && !this.closed && this.running.size < this.concurrency && this.waiting.length > 0) {
      const job = this.waiting.shift()!;
      const run = this.handler(job, () => {}, this.abandoned.signal).then(() => void this.ended.completed++, () => void this.ended.failed++).finally(() => {
        this.running.delete(run);
        this.pending.delete(jobKey(job));
        this.pump();
      });
      this.running.add(run);
    }
  }

  async ping() {}

  async counts(): Promise<JobCounts> {
    return { waiting: this.waiting.length, active: this.running.size, delayed: 0, ...this.ended };
  }

  /** Waits for running solves up to the grace; in one process, what is left is lost with it. */
  async close(graceMs: number) {
    this.closed = true;
    await Promise.race([Promise.all(this.running), new Promise((r) => setTimeout(r, graceMs).unref())]);
    this.abandoned.abort();
  }
}
