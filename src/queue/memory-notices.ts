import type { Delivery, NoticeQueue } from '../ports.ts';

export interface RetryPolicy {
  /** Tries of one delivery, the first included. */
  attempts: number;
  /** The delay before the first retry; each later one doubles it (as BullMQ's exponential backoff). */
  backoffMs: number;
}

/**
 * Embedded mode's deliveries: an in-process retry loop with the same backoff as the Redis mode's
 * BullMQ jobs. What is still waiting when the process ends is lost with it, as everything else in
 * embedded mode is (docs/adr/0001-embedded-mode.md).
 */
export class MemoryNoticeQueue implements NoticeQueue {
  private attempt?: (delivery: Delivery) => Promise<'done' | 'retry'>;
  private waiting: Delivery[] = [];
  private running = new Set<Promise<void>>();
  private timers = new Set<NodeJS.Timeout>();
  private closed = false;
  /** Recent delivery ids: the same delivery queued again (a job's notice repeated) is a no-op, as in BullMQ. */
  private seen = new Set<string>();

  constructor(private policy: RetryPolicy) {}

  async add(delivery: Delivery) {
    if (this.closed || this.seen.has(delivery.deliveryId)) return;
    this.seen.add(delivery.deliveryId);
    if (this.seen.size > 10_000) this.seen.delete(this.seen.values().next().value!);
    if (this.attempt) this.start(delivery);
    else this.waiting.push(delivery);
  }

  work(attempt: (delivery: Delivery) => Promise<'done' | 'retry'>) {
    this.attempt = attempt;
    for (const d of this.waiting.splice(0)) this.start(d);
  }

  private start(delivery: Delivery) {
    const run = this.loop(delivery).finally(() => this.running.delete(run));
    this.running.add(run);
  }

  private async loop(delivery: Delivery) {
    for (let tried = 1; !this.closed; tried++) {
      const outcome = await this.attempt!(delivery).catch(() => 'retry' as const);
      if (outcome === 'done' || tried >= this.policy.attempts) return;
      await this.sleep(this.policy.backoffMs * 2 ** (tried - 1));
    }
  }

  private sleep(ms: number) {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      timer.unref();
      this.timers.add(timer);
    });
  }

  /** Stops retrying; a try under way may finish (each is bounded by the delivery timeout). */
  async close() {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
