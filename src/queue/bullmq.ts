import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobData, JobHandler, JobQueue } from '../ports.ts';

export interface BullOptions {
  prefix: string;
  retention: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
}

const NAME = 'schedules';

/**
 * Jobs through BullMQ. A worker that dies mid-solve stops renewing its lock; BullMQ's stalled-job
 * check then moves the job back to waiting and another worker solves it from the stored input.
 */
export class BullQueue implements JobQueue {
  private queue: Queue;
  private worker?: Worker;
  private workerConnection?: Redis;
  /** Solves running in this process; closing waits for them itself rather than trust close() alone. */
  private active = new Set<Promise<void>>();

  constructor(private connection: Redis, private opts: BullOptions) {
    this.queue = new Queue(NAME, { connection, prefix: opts.prefix });
  }

  async enqueue(job: JobData) {
    await this.queue.add(job.kind, job, {
      jobId: [job.kind, job.scheduleId, job.sickLeave].filter((p) => p !== undefined).join("-"),
      removeOnComplete: { count: this.opts.retention },
      removeOnFail: { count: this.opts.retention },
    });
  }

  work(handler: JobHandler, concurrency: number) {
    // BullMQ workers block on Redis; each needs its own connection.
    this.workerConnection = this.connection.duplicate({ maxRetriesPerRequest: null });
    this.workerConnection.on('error', () => {}); // ioredis reconnects; readiness reports trouble
    this.worker = new Worker(
      NAME,
      async (job) => {
        const run = handler(job.data as JobData, (fraction) => void job.updateProgress(Math.round(fraction * 100)).catch(() => {}));
        this.active.add(run);
        try {
          await run;
        } finally {
          this.active.delete(run);
        }
      },
      {
        connection: this.workerConnection,
        prefix: this.opts.prefix,
        concurrency,
        lockDuration: this.opts.lockDurationMs,
        stalledInterval: this.opts.stalledIntervalMs,
        maxStalledCount: 3,
      },
    );
    this.worker.on('error', () => {}); // connection hiccups are retried by ioredis
  }

  async ping() {
    await this.connection.ping();
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
    await this.workerConnection?.quit().catch(() => {});
  }
}
