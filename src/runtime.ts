import { Redis } from 'ioredis';
import type { Config } from './config.ts';
import type { JobQueue, PoolStore, ScheduleStore } from './ports.ts';
import { MemoryPool } from './pool/memory.ts';
import { RedisPool } from './pool/redis.ts';
import { MemoryQueue } from './queue/memory.ts';
import { MemoryStore } from './store/memory.ts';
import { BullQueue } from './queue/bullmq.ts';
import { RedisStore } from './store/redis.ts';

export interface Ports {
  mode: 'embedded' | 'redis';
  store: ScheduleStore;
  pool: PoolStore;
  queue: JobQueue;
  close(): Promise<void>;
}

/** Embedded ports without REDIS_URL, Redis and BullMQ with it: the only place the modes differ. */
export function createPorts(config: Config): Ports {
  if (!config.REDIS_URL) {
    const store = new MemoryStore();
    const queue = new MemoryQueue();
    return { mode: 'embedded', store, pool: new MemoryPool(), queue, close: async () => {} };
  }
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: false });
  redis.on('error', () => {}); // readiness reports it; ioredis reconnects
  // Locks on schedules and pools free as soon as a dead worker's job would be handed on.
  const store = new RedisStore(redis, `${config.REDIS_PREFIX}:store`, config.JOB_LOCK_MS);
  const queue = new BullQueue(redis, {
    prefix: `${config.REDIS_PREFIX}:bull`,
    retention: config.JOB_RETENTION_COUNT,
    lockDurationMs: config.JOB_LOCK_MS,
    stalledIntervalMs: config.JOB_STALLED_INTERVAL_MS,
  });
  const pool = new RedisPool(redis, `${config.REDIS_PREFIX}:store`, config.JOB_LOCK_MS);
  return { mode: 'redis', store, pool, queue, close: async () => void (await redis.quit().catch(() => {})) };
}
