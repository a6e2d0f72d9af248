import { retentionSeconds, type Config } from './config.ts';
import type { Queue } from 'bullmq';
import type { AccessStore, JobQueue, NoticeQueue, OrdningStore, PoolStore, ScheduleStore } from './ports.ts';
import type { Logger } from './logger.ts';
import { MemoryAccessStore } from './access/memory.ts';
import { RedisAccessStore } from './access/redis.ts';
import { MemoryOrdningStore } from './ordning/memory.ts';
import { RedisOrdningStore } from './ordning/redis.ts';
import { MemoryPool } from './pool/memory.ts';
import { RedisPool } from './pool/redis.ts';
import { MemoryQueue } from './queue/memory.ts';
import { MemoryStore } from './store/memory.ts';
import { BullQueue } from './queue/bullmq.ts';
import { BullNoticeQueue } from './queue/bull-notices.ts';
import { MemoryNoticeQueue } from './queue/memory-notices.ts';
import { RedisStore } from './store/redis.ts';
import { clientFacingRedis, closeRedis, connected, isRedisOutage, patientRedis } from './redis-connections.ts';

export interface Ports {
  mode: 'embedded' | 'redis';
  /** What the API uses: in Redis mode every command fails fast, so a client gets 503, not a hang. */
  store: ScheduleStore;
  pool: PoolStore;
  /** Ordninger with their timesheets (the API's only). */
  ordninger: OrdningStore;
  queue: JobQueue;
  /** Completion notices on their way to webhooks (src/notices/). */
  notices: NoticeQueue;
  /** The BullMQ queues Bull Board shows at /admin/queues; none in embedded mode. */
  dashboard: Queue[];
  /** API keys, audit log and rate windows. */
  access: AccessStore;
  /** What the job handler uses: in Redis mode it waits out an outage, since its job was accepted. */
  worker: { store: ScheduleStore; pool: PoolStore };
  /** True for an error that means the store or queue cannot be reached just now (503, not 500). */
  isOutage(err: unknown): boolean;
  /** Resolves when the API's connection is up, or after `waitMs` when it is not. */
  connected(waitMs: number): Promise<void>;
  close(): Promise<void>;
}

/** Embedded ports without REDIS_URL, Redis and BullMQ with it: the only place the modes differ. */
export function createPorts(config: Config, log: Logger): Ports {
  const retentionMs = retentionSeconds(config) * 1000;
  const retry = { attempts: config.WEBHOOK_ATTEMPTS, backoffMs: config.WEBHOOK_BACKOFF_MS };
  if (!config.REDIS_URL) {
    const store = new MemoryStore({ maxSchedules: config.MAX_SCHEDULES_IN_MEMORY, retentionMs, onEvict: (ids) => log.info({ evicted: ids.length, scheduleIds: ids }, 'finished schedules evicted from memory') });
    const pool = new MemoryPool(retentionMs, config.MAX_POOLS_IN_MEMORY);
    return { mode: 'embedded', store, pool, ordninger: new MemoryOrdningStore(config.MAX_ORDNINGER_IN_MEMORY), queue: new MemoryQueue(), notices: new MemoryNoticeQueue(retry), dashboard: [], access: new MemoryAccessStore(), worker: { store, pool }, isOutage: () => false, connected: async () => {}, close: async () => {} };
  }
  const api = clientFacingRedis(config.REDIS_URL, config.REDIS_COMMAND_TIMEOUT_MS);
  const worker = patientRedis(config.REDIS_URL);
  const prefix = `${config.REDIS_PREFIX}:store`;
  const queue = new BullQueue({ api, worker }, {
    prefix: `${config.REDIS_PREFIX}:bull`,
    retention: config.JOB_RETENTION_COUNT,
    retentionSeconds: retentionSeconds(config),
    lockDurationMs: config.JOB_LOCK_MS,
    stalledIntervalMs: config.JOB_STALLED_INTERVAL_MS,
    maxStarts: config.JOB_MAX_STARTS,
  });
  const notices = new BullNoticeQueue(worker, { ...retry, prefix: `${config.REDIS_PREFIX}:bull`, retention: config.JOB_RETENTION_COUNT, retentionSeconds: retentionSeconds(config) });
  // Locks on schedules and pools free as soon as a dead worker's job would be handed on.
  const lease = config.JOB_LOCK_MS;
  return {
    mode: 'redis',
    store: new RedisStore(api, prefix, lease, retentionMs),
    pool: new RedisPool(api, prefix, lease, retentionMs),
    ordninger: new RedisOrdningStore(api, prefix, retentionMs),
    queue,
    notices,
    dashboard: [queue.bullQueue, notices.queue],
    access: new RedisAccessStore(api, `${config.REDIS_PREFIX}:access`),
    worker: { store: new RedisStore(worker, prefix, lease, retentionMs), pool: new RedisPool(worker, prefix, lease, retentionMs) },
    isOutage: isRedisOutage,
    connected: (waitMs) => connected(api, waitMs),
    close: async () => void (await Promise.all([closeRedis(api), closeRedis(worker)])),
  };
}
