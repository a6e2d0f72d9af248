import { afterAll, beforeAll } from 'vitest';
import { Redis } from 'ioredis';
import { MemoryPool } from '../../src/pool/memory.ts';
import { RedisPool } from '../../src/pool/redis.ts';
import type { PoolStore } from '../../src/ports.ts';
import { startRedis, type PrivateRedis } from './redis.ts';

/** A pool store of one kind for the enclosing describe block; the Redis one on a redis-server of its own. */
export function poolStoreFor(kind: 'memory' | 'redis', prefix: string, retentionMs?: number): () => PoolStore {
  let redis: PrivateRedis | undefined;
  let client: Redis | undefined;
  let pool: PoolStore;
  beforeAll(async () => {
    if (kind === 'memory') pool = new MemoryPool(retentionMs);
    else {
      redis = await startRedis();
      client = new Redis(redis.url);
      pool = new RedisPool(client, prefix, undefined, retentionMs);
    }
  });
  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
  });
  return () => pool;
}
