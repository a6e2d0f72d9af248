import type { JobData, JobHandler, JobQueue } from '../ports.ts';

/** The embedded queue: jobs run in this process, `concurrency` at a time, in arrival order. */
export class MemoryQueue implements JobQueue {
  private waiting: JobData[] = [];
  private running = new Set<Promise<void>>();
  private handler?: JobHandler;
  private concurrency = 1;
  private closed = false;

  async enqueue(job: JobData) {
    if (this.closed) throw new Error('queue is closed');
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
      const run = this.handler(job, () => {}).catch(() => {}).finally(() => {
        this.running.delete(run);
        this.pump();
      });
      this.running.add(run);
    }
  }

  async ping() {}

  async close(graceMs: number) {
    this.closed = true;
    await Promise.race([Promise.all(this.running), new Promise((r) => setTimeout(r, graceMs).unref())]);
  }
}
