import { Queue, WaitingError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { Unavailable, type JobCounts, type JobData, type JobHandler, type JobQueue } from '../ports.ts';

export interface BullOptions {
  prefix: string;
  retention: number;
  /** Finished jobs older than this (seconds) are removed too: their data names the schedule. */
  retentionSeconds: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
  /** Starts of one job (first, after stalls, after hand-backs) before it is failed for good. */
  maxStarts: number;
}

/** The connections a BullQueue uses: the API's, failing fast, and the workers', waiting out outages. */
export interface BullConnections {
  api: Redis;
  worker: Redis;
}

const NAME = 'schedules';

interface Running {
  run: Promise<void>;
  /** Stops waiting for the solve and gives the job back to the queue. */
  handBack: () => void;
}

/**
 * Jobs through BullMQ. A worker that dies mid-solve stops renewing its lock; BullMQ's stalled-job
 * check then moves the job back to waiting and another worker solves it from the stored input.
 * A worker told to stop gives back what it cannot finish within the grace at once.
 */
export class BullQueue implements JobQueue {
  private queue: Queue;
  private worker?: Worker;
  /** Solves running in this process; closing waits for them itself rather than trust close() alone. */
  private running = new Set<Running>();

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
      removeOnComplete: { count: this.opts.retention, age: this.opts.retentionSeconds },
      removeOnFail: { count: this.opts.retention, age: this.opts.retentionSeconds },
    });
  }

  work(handler: JobHandler, concurrency: number, giveUp?: (job: JobData, reason: string) => Promise<void>) {
    this.worker = new Worker(NAME, (job, token) => this.process(handler, job, token), {
      connection: this.connections.worker,
      prefix: this.opts.prefix,
      concurrency,
      lockDuration: this.opts.lockDurationMs,
      stalledInterval: this.opts.stalledIntervalMs,
      // A job whose solve takes its process down stalls again and again: BullMQ fails it at its
      // next start past the limit, in a worker, so that `giveUp` can mark the schedule failed.
      maxStartedAttempts: this.opts.maxStarts,
      maxStalledCount: this.opts.maxStarts + 1,
    });
    this.worker.on('error', () => {}); // connection hiccups are retried by ioredis
    this.worker.on('failed', (job, err) => {
      // Our handler stores its own failures; only the queue's refusal to start a job comes here.
      if (job && /allowable limit/.test(err.message)) void giveUp?.(job.data as JobData, err.message).catch(() => {});
    });
  }

  private async process(handler: JobHandler, job: Job, token?: string) {
    const abandoned = new AbortController();
    let handBack!: () => void;
    const handedBack = new Promise<'handed-back'>((resolve) => (handBack = () => resolve('handed-back')));
    const run = handler(job.data as JobData, (fraction) => void job.updateProgress(Math.round(fraction * 100)).catch(() => {}), abandoned.signal);
    const entry = { run, handBack };
    this.running.add(entry);
    try {
      if ((await Promise.race([run, handedBack])) === 'handed-back') {
        abandoned.abort();
        await job.moveToWait(token);
        throw new WaitingError(); // tells BullMQ the job is back in the queue, not failed
      }
    } finally {
      this.running.delete(entry);
    }
  }

  async ping() {
    await this.connections.api.ping();
  }

  async counts(): Promise<JobCounts> {
    const c = await this.queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed');
    return { waiting: (c.waiting ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0, delayed: c.delayed ?? 0, completed: c.completed ?? 0, failed: c.failed ?? 0 };
  }

  /** The BullMQ queue itself, for the dashboard (src/http/dashboard.ts). */
  get bullQueue(): Queue {
    return this.queue;
  }

  async close(graceMs: number) {
    if (this.worker) {
      // Take no new jobs, let running solves finish within the grace, give back the rest.
      await this.worker.pause(true);
      await Promise.race([Promise.all([...this.running].map((r) => r.run.catch(() => {}))), new Promise((r) => setTimeout(r, graceMs).unref())]);
      for (const r of this.running) r.handBack();
      await this.worker.close();
    }
    await this.queue.close();
  }
}
