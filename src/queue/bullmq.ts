import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { Unavailable, type JobData, type JobHandler, type JobQueue } from '../ports.ts';

export interface BullOptions {
  prefix: string;
  retention: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
}

/** The connections a BullQueue uses: the API's, failing fast, and the workers', waiting out outages. */
export interface BullConnections {
  api: Redis;
  worker: Redis;
}

const NAME = 'schedules';

/**
 * Jobs through BullMQ. A worker that dies mid-solve stops renewing its lock; BullMQ's stalled-job
 * check then moves the job back to waiting and another worker solves it from the stored input.
 */
export class BullQueue implements JobQueue {
  private queue: Queue;
  private worker?: Worker;
  /** Solves running in this process; closing waits for them itself rather than trust close() alone. */
  private active = new Set<Promise<void>>();

  constructor(private connections: BullConnections, private opts: BullOptions) {
    this.queue = new Queue(NAME, { connection: connections.api, prefix: opts.prefix });
    this.queue.on('error', () => {}); // connection trouble: readiness reports it
  }

  async enqueue(job: JobData) {
    // Before the first connect BullMQ would wait for Redis; an API request must not.
    if (this.connections.api.status !== 'ready') throw new Unavailable('Redis is not connected');
    // The job id makes a repeated enqueue of the same job a no-op (a retried POST).
    await this.queue.add(job.kind, job, {
      jobId: [job.kind, job.scheduleId, job.sickLeave].filter((p) => p !== undefined).join("-"),
      removeOnComplete: { count: this.opts.retention },
      removeOnFail: { count: this.opts.retention },
    });
  }

  work(handler: JobHandler, concurrency: number) {
    this.worker = new Worker(NAME, (job) => this.process(handler, job), {
      connection: this.connections.worker,
      prefix: this.opts.prefix,
      concurrency,
      lockDuration: this.opts.lockDurationMs,
      stalledInterval: this.opts.stalledIntervalMs,
      maxStalledCount: 3,
    });
    this.worker.on('error', () => {}); // connection hiccups are retried by ioredis
  }

  private async process(handler: JobHandler, job: Job) {
    const run = handler(job.data as JobData, (fraction) => void job.updateProgress(Math.round(fraction * 100)).catch(() => {}));
    this.active.add(run);
    try {
      await run;
    } finally {
      this.active.delete(run);
    }
  }

  async ping() {
    await this.connections.api.ping();
  }

  async close(graceMs: number) {
    if (this.worker) {
      // Take no new jobs, let running solves finish within the grace; what is left is recovered
      // from its expired lock by another worker.
      await this.worker.pause(true);
      await Promise.race([Promise.all(this.active), new Promise((r) => setTimeout(r, graceMs).unref())]);
      await this.worker.close(this.active.size > 0);
    }
    await this.queue.close();
  }
}
