import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Delivery, NoticeQueue } from '../ports.ts';
import type { RetryPolicy } from './memory-notices.ts';

const NAME = 'notices';

/**
 * Redis mode's deliveries: each one a BullMQ job on its own `notices` queue (so a slow receiver
 * never holds up a solve), retried with exponential backoff. The job handler adds it before its
 * own job ends, so a crash after that still leaves the delivery stored.
 */
export class BullNoticeQueue implements NoticeQueue {
  readonly queue: Queue;
  private worker?: Worker;

  /** `connection`: the workers' patient one: a delivery is queued even through a short outage. */
  constructor(private connection: Redis, private opts: RetryPolicy & { prefix: string; retention: number; retentionSeconds: number }) {
    this.queue = new Queue(NAME, { connection, prefix: opts.prefix });
    this.queue.on('error', () => {});
  }

  async add(delivery: Delivery) {
    // The delivery id as job id: adding the same delivery again (a job run twice) is a no-op.
    await this.queue.add('notice', delivery, {
      jobId: delivery.deliveryId,
      attempts: this.opts.attempts,
      backoff: { type: 'exponential', delay: this.opts.backoffMs },
      removeOnComplete: { count: this.opts.retention, age: this.opts.retentionSeconds },
      removeOnFail: { count: this.opts.retention, age: this.opts.retentionSeconds },
    });
  }

  work(attempt: (delivery: Delivery) => Promise<'done' | 'retry'>) {
    this.worker = new Worker(
      NAME,
      async (job) => {
        const outcome = await attempt(job.data as Delivery);
        // BullMQ retries a job that throws, after the backoff, until its attempts are used up.
        if (outcome === 'retry') throw new Error('not delivered');
      },
      { connection: this.connection, prefix: this.opts.prefix, concurrency: 4 },
    );
    this.worker.on('error', () => {});
  }

  async close() {
    await this.worker?.close();
    await this.queue.close();
  }
}
