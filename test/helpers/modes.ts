import { afterAll, beforeAll } from 'vitest';
import type { Running } from '../../src/server.ts';
import { startRedis, type PrivateRedis } from './redis.ts';
import { startService } from './service.ts';

/** The two ways the service runs: every HTTP suite runs in both (describe.each(MODES)). */
export const MODES = [{ name: 'embedded' as const }, { name: 'redis' as const }];
export type Mode = (typeof MODES)[number]['name'];

export interface ServiceInMode {
  /** The service's base URL, once started. */
  base: string;
  service: Running;
  /** The test's own redis-server (Redis mode only). */
  redis?: PrivateRedis;
}

/**
 * Starts the real service in `mode` before the suite's tests (with its own redis-server on a free
 * port in Redis mode) and stops both after. The fields are filled in by beforeAll.
 */
export function serviceIn(mode: Mode, env: Record<string, string> = {}): ServiceInMode {
  const running = {} as ServiceInMode;
  beforeAll(async () => {
    if (mode === 'redis') running.redis = await startRedis();
    const redisEnv: Record<string, string> = running.redis ? { REDIS_URL: running.redis.url, REDIS_PREFIX: `t${process.pid}` } : {};
    running.service = await startService({ ...redisEnv, ...env });
    running.base = running.service.url;
  });
  afterAll(async () => {
    await running.service?.stop();
    await running.redis?.stop();
  });
  return running;
}
