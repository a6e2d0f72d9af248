import { Redis } from 'ioredis';

/**
 * Redis connections of two temperaments.
 *
 * The API's answer clients, so they fail fast: no offline queue (a command while Redis is away
 * fails at once instead of waiting), a timeout on every command (a Redis that hangs without
 * closing the socket), no retry and no resend after a reconnect. A client that got 503 must not
 * find its request carried out later behind its back. BullMQ's docs ask the same of a Queue
 * used by an API ("failing fast when Redis is down").
 *
 * The workers' wait out an outage: their jobs were accepted, so their writes queue up and go out
 * when Redis is back. BullMQ requires `maxRetriesPerRequest: null` for worker connections.
 */
export function clientFacingRedis(url: string, commandTimeoutMs: number): Redis {
  const redis = new Redis(url, { enableOfflineQueue: false, commandTimeout: commandTimeoutMs, maxRetriesPerRequest: 0, autoResendUnfulfilledCommands: false });
  redis.on('error', () => {}); // readiness reports it; ioredis reconnects
  return redis;
}

export function patientRedis(url: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
  redis.on('error', () => {});
  return redis;
}

/**
 * Resolves once the connection is up, or after `waitMs` regardless: a service may start while
 * Redis is away (readiness says so), but should not turn away its first requests for a connect
 * still under way.
 */
export async function connected(redis: Redis, waitMs: number): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve) => {
    const done = () => (clearTimeout(timer), redis.off('ready', done), resolve());
    const timer = setTimeout(done, waitMs);
    redis.once('ready', done);
  });
}

/** Errors that mean "Redis cannot be reached now", as ioredis reports them. */
export function isRedisOutage(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return (
    err.name === 'MaxRetriesPerRequestError' ||
    /^(Command timed out|Stream isn't writeable|Connection is closed|connect ECONNREFUSED|read ECONNRESET|write EPIPE)/.test(err.message)
  );
}

/** Quit politely, but never wait on a Redis that is gone. */
export async function closeRedis(redis: Redis, waitMs = 1000): Promise<void> {
  if (redis.status === 'wait') return redis.disconnect(); // never connected (lazy): nothing to say
  await Promise.race([redis.quit().catch(() => {}), new Promise((r) => setTimeout(r, waitMs).unref())]);
  redis.disconnect();
}
