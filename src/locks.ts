import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Mutual exclusion by key: per schedule (re-plans) and per pool (bookings). Locks save work; they
 * are not what keeps data right: stores check every write atomically, so a lease that runs out
 * (a stalled process) costs a retry, never a lost update.
 */

/** One process: a promise chain per key; the chain is forgotten once it runs dry. */
export class LocalLocks {
  private tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const run = (this.tails.get(key) ?? Promise.resolve()).catch(() => {}).then(fn);
    this.tails.set(key, run);
    void run.catch(() => {}).finally(() => this.tails.get(key) === run && this.tails.delete(key));
    return run;
  }
}

const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/**
 * Across processes: a lease (SET NX PX with a token) renewed while `fn` runs, so a long solve keeps
 * it and a dead process loses it within `leaseMs`. Freed only by its holder. A waiter tries again
 * after a doubling wait of at most `maxWaitMs`: short for a lock held milliseconds (the pool's
 * check-and-book), where a long wait would idle a worker long after the lock is free.
 */
export async function withLease<T>(redis: Redis, key: string, leaseMs: number, fn: () => Promise<T>, maxWaitMs = 200): Promise<T> {
  const token = randomUUID();
  for (let wait = Math.min(10, maxWaitMs); !(await redis.set(key, token, 'PX', leaseMs, 'NX')); wait = Math.min(maxWaitMs, wait * 2)) await new Promise((r) => setTimeout(r, wait));
  const renew = setInterval(() => void redis.eval(RENEW, 1, key, token, leaseMs).catch(() => {}), Math.max(100, Math.floor(leaseMs / 3)));
  renew.unref();
  try {
    return await fn();
  } finally {
    clearInterval(renew);
    await redis.eval(UNLOCK, 1, key, token).catch(() => {});
  }
}
