import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../src/server.ts';
import { startRedis, type PrivateRedis } from './helpers/redis.ts';
import { smallRequest } from './helpers/requests.ts';
import { getJson, postJson, startService, waitForSchedule } from './helpers/service.ts';

/**
 * Redis goes away under a running service (API and worker in one process): killed and restarted
 * empty on the same port, or frozen (SIGSTOP) and thawed with its data. Readiness must say so
 * within 1 s, POSTs must answer 503 within 2 s, and nothing those POSTs asked for may run later.
 */
const PREFIX = 'outage';
let redis: PrivateRedis;
let service: Running;
let base: string;

beforeAll(async () => {
  redis = await startRedis();
  service = await startService({ REDIS_URL: redis.url, REDIS_PREFIX: PREFIX });
  base = service.url;
});
afterAll(async () => {
  redis?.resume();
  await service?.stop();
  await redis?.stop();
});

/** What the service has stored: schedule records and BullMQ jobs, read straight from Redis. */
async function storedWork(): Promise<{ schedules: string[]; jobs: string[] }> {
  const probe = new Redis(redis.url, { maxRetriesPerRequest: 0 });
  try {
    const records = (await probe.keys(`${PREFIX}:store:s:*`)).filter((k) => /:s:[0-9a-f-]{36}$/.test(k));
    // A schedule still listed by GET /schedules counts as left behind too.
    const schedules = [...records, ...(await probe.zrange(`${PREFIX}:store:idx:created`, '0', '-1')).map((id) => `listed:${id}`)];
    const jobs = (await probe.keys(`${PREFIX}:bull:schedules:plan-*`)).filter((k) => /plan-[0-9a-f-]{36}$/.test(k));
    return { schedules: schedules.sort(), jobs: jobs.sort() };
  } finally {
    probe.disconnect();
  }
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: Math.round(performance.now() - started), value };
}

async function untilReady(timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  while ((await getJson(`${base}/readyz`)).status !== 200) {
    if (Date.now() > until) throw new Error('never ready again');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Three POSTs while Redis is away, one with an Idempotency-Key: each 503 in the error shape, within 2 s. */
async function postsDuringOutage(key: string) {
  const posts = await Promise.all([
    timed(() => postJson(`${base}/schedules`, smallRequest())),
    timed(() => postJson(`${base}/schedules`, smallRequest({ ordning: { id: 'ord-outage', vedtak: { hoursPerWeek: 90, year: 2027 } } }))),
    timed(() => postJson(`${base}/schedules`, smallRequest(), { 'idempotency-key': key })),
  ]);
  for (const { ms, value } of posts) {
    expect(value.status).toBe(503);
    expect(value.body.error).toMatchObject({ code: 'unavailable', message: expect.any(String) });
    expect(ms).toBeLessThan(2000);
  }
  return posts.map((p) => p.ms);
}

it('answers 503 at once while Redis is down, runs nothing for those POSTs later, and recovers', async () => {
  const before = await postJson(`${base}/schedules`, smallRequest());
  expect(before.status).toBe(202);
  expect((await waitForSchedule(base, before.body.id)).status).toBe('completed');

  const port = redis.port;
  const killed = performance.now();
  await redis.stop();
  const ready = await getJson(`${base}/readyz`);
  const readyMs = Math.round(performance.now() - killed);
  expect(ready.status).toBe(503);
  expect(ready.body.error.code).toBe('not_ready');
  expect(readyMs).toBeLessThan(1000);
  const postMs = await postsDuringOutage('outage-retry');
  const listed = await getJson(`${base}/schedules`);
  expect(listed.status).toBe(503);
  expect(listed.body.error.code).toBe('unavailable');

  redis = await startRedis(port); // the same address, empty
  await untilReady();
  // Time for anything held back to reach Redis and for the worker to take it.
  await new Promise((r) => setTimeout(r, 3000));
  expect(await storedWork()).toEqual({ schedules: [], jobs: [] });

  // The client that got 503 retries with its key: a new job, solved.
  const retried = await postJson(`${base}/schedules`, smallRequest(), { 'idempotency-key': 'outage-retry' });
  expect(retried.status).toBe(202);
  expect((await waitForSchedule(base, retried.body.id)).status).toBe('completed');
  console.info(`redis killed: readyz 503 after ${readyMs} ms; POSTs 503 after ${postMs.join(', ')} ms`);
}, 90_000);

it('answers 503 within the command timeout while Redis hangs, and leaves nothing behind when it wakes', async () => {
  await untilReady();
  const stored = await storedWork();
  redis.pause();
  try {
    const ready = await timed(() => getJson(`${base}/readyz`));
    expect(ready.value.status).toBe(503);
    expect(ready.ms).toBeLessThan(1000);
    const postMs = await postsDuringOutage('frozen-retry');
    console.info(`redis frozen: readyz 503 after ${ready.ms} ms; POSTs 503 after ${postMs.join(', ')} ms`);
  } finally {
    redis.resume();
  }
  await untilReady();
  // The frozen Redis now runs what was sent to it before the timeouts, then what undoes it.
  await new Promise((r) => setTimeout(r, 3000));
  expect(await storedWork()).toEqual(stored);
  const retried = await postJson(`${base}/schedules`, smallRequest(), { 'idempotency-key': 'frozen-retry' });
  expect(retried.status).toBe(202);
  expect((await waitForSchedule(base, retried.body.id)).status).toBe('completed');
}, 90_000);
