import http from 'node:http';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../src/server.ts';
import { startRedis, type PrivateRedis } from './helpers/redis.ts';
import { smallRequest } from './helpers/requests.ts';
import { getJson, postJson, startService, waitForSchedule } from './helpers/service.ts';

const WEEK = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
/** One assistant for a morning every day: the pool covers the rest, so the plan books the pool. */
const shortOrdning = (poolId: string) => ({
  ordning: { id: 'ord-robust', vedtak: { hoursPerWeek: 60, year: 2027 } },
  period: { start: '2027-01-04', weeks: 1 },
  needs: [{ id: 'm', days: WEEK, start: '08:00', end: '14:00' }],
  assistants: [{ id: 'a1', positionPercent: 60 }],
  pool: { id: poolId },
  solver: { timeLimitSeconds: 5, relativeGap: 0.01, engine: 'highs' },
});

const send = (url: string, method: string) => fetch(url, { method });
const bookingsOf = async (base: string, poolId: string) => (await getJson(`${base}/pools/${poolId}`)).body.members.flatMap((m: any) => m.bookings);

describe.each(['embedded', 'redis'])('ids and deletes (%s mode)', (mode) => {
  let service: Running;
  let redis: PrivateRedis | undefined;
  let base: string;
  const prefix = 'robust';

  beforeAll(async () => {
    redis = mode === 'redis' ? await startRedis() : undefined;
    service = await startService(redis ? { REDIS_URL: redis.url, REDIS_PREFIX: prefix } : {});
    base = service.url;
  });
  afterAll(async () => {
    await service?.stop();
    await redis?.stop();
  });

  /** In Redis mode, the schedule's own keys as they stand in Redis. */
  async function keysOf(id: string): Promise<string[]> {
    if (!redis) return [];
    const probe = new Redis(redis.url, { maxRetriesPerRequest: 0 });
    try {
      return (await probe.keys(`${prefix}:store:*${id}*`)).sort();
    } finally {
      probe.disconnect();
    }
  }

  it('answers 404 for ids that name a piece of a schedule, and leaves the schedule whole', async () => {
    const posted = await postJson(`${base}/schedules`, smallRequest(), { 'idempotency-key': `inject-${mode}` });
    const id = posted.body.id;
    const done = await waitForSchedule(base, id);
    const keys = await keysOf(id);
    if (redis) expect(keys).toEqual(expect.arrayContaining([`${prefix}:store:s:${id}`, `${prefix}:store:s:${id}:input`, `${prefix}:store:s:${id}:v:1`]));
    for (const piece of [`${id}:v:1`, `${id}:input`, `${id}:versions`, `${id}:idem`, `${id}%3Av%3A1`, `${id}%3Ainput`]) {
      const res = await send(`${base}/schedules/${piece}`, 'DELETE');
      expect(res.status, piece).toBe(404);
      expect(((await res.json()) as any).error.code).toBe('not_found');
      expect((await getJson(`${base}/schedules/${piece}`)).status).toBe(404);
    }
    expect(await keysOf(id)).toEqual(keys);
    expect((await getJson(`${base}/schedules/${id}`)).body).toEqual(done);
    expect((await getJson(`${base}/schedules/${id}/versions/1`)).body).toEqual(done.result);
    // The key still answers the same schedule: its idempotency claim was not touched either.
    expect((await postJson(`${base}/schedules`, smallRequest(), { 'idempotency-key': `inject-${mode}` })).body.id).toBe(id);
  });

  it('answers 400 naming the field for a bad version, pool or assistant id', async () => {
    const id = (await postJson(`${base}/schedules`, smallRequest())).body.id;
    await waitForSchedule(base, id);
    for (const n of ['1e0', '0', '-1', 'x', '01']) {
      const res = await getJson(`${base}/schedules/${id}/versions/${n}`);
      expect(res.status, n).toBe(400);
      expect(res.body.error.details).toEqual([{ path: 'n', message: expect.any(String) }]);
    }
    const pool = await getJson(`${base}/pools/bad%20pool`);
    expect(pool.status).toBe(400);
    expect(pool.body.error.details.map((d: any) => d.path)).toEqual(['poolId']);
    const put = await fetch(`${base}/pools/p/assistants/a%20b`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"positionPercent":0}' });
    expect(put.status).toBe(400);
    expect(((await put.json()) as any).error.details.map((d: any) => d.path)).toEqual(['assistantId']);
    const sick = await postJson(`${base}/schedules/${id}:v:1/sick-leave`, { assistantId: 'a1', from: '2027-01-05T00:00', to: '2027-01-06T00:00' });
    expect(sick.status).toBe(404);
  });

  it('frees the pool bookings and the idempotency key of a deleted schedule', async () => {
    const poolId = `free-${mode}`;
    expect((await fetch(`${base}/pools/${poolId}/assistants/p1`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"positionPercent":0}' })).status).toBe(201);
    const key = { 'idempotency-key': `delete-${mode}` };
    const first = await postJson(`${base}/schedules`, shortOrdning(poolId), key);
    await waitForSchedule(base, first.body.id);
    const booked = await bookingsOf(base, poolId);
    expect(booked.length).toBeGreaterThan(0);
    expect(booked.every((b: any) => b.scheduleId === first.body.id)).toBe(true);

    expect((await send(`${base}/schedules/${first.body.id}`, 'DELETE')).status).toBe(204);
    expect(await bookingsOf(base, poolId)).toEqual([]);
    expect(await keysOf(first.body.id)).toEqual([]);

    // The same key and body after the delete: a new schedule, solved and booked afresh.
    const again = await postJson(`${base}/schedules`, shortOrdning(poolId), key);
    expect(again.status).toBe(202);
    expect(again.body.id).not.toBe(first.body.id);
    expect((await waitForSchedule(base, again.body.id)).status).toBe('completed');
    const rebooked = await bookingsOf(base, poolId);
    expect(rebooked.length).toBe(booked.length);
    expect(rebooked.every((b: any) => b.scheduleId === again.body.id)).toBe(true);
    // And the key now belongs to the new schedule: another body is a conflict again.
    expect((await postJson(`${base}/schedules`, smallRequest(), key)).status).toBe(409);
  });
});

describe('keep-alive survives early answers', () => {
  const LIMIT = 200_000;
  let service: Running;
  let agent: http.Agent;
  let port: number;

  beforeAll(async () => {
    service = await startService({ BODY_LIMIT_BYTES: String(LIMIT) });
    port = Number(new URL(service.url).port);
  });
  afterAll(async () => {
    agent?.destroy();
    await service?.stop();
  });

  interface Answer { status: number; connection?: string; code?: string; reusedSocket: boolean; errors: string[] }

  /** One request through a keep-alive agent with a single socket; errors after the answer count too. */
  function request(method: string, path: string, body?: Buffer, headers: Record<string, string> = {}, chunked = false): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const errors: string[] = [];
      const req = http.request({ agent, host: '127.0.0.1', port, method, path, headers: { ...headers, ...(body && !chunked ? { 'content-length': String(body.length) } : {}) } }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () =>
          // A reset of the upload shows as an error event after the answer; give it a moment.
          setTimeout(() => resolve({ status: res.statusCode!, connection: res.headers.connection, code: text ? JSON.parse(text).error?.code : undefined, reusedSocket: req.reusedSocket, errors }), 100),
        );
      });
      req.on('error', (e) => (errors.push(e.message), reject(e)));
      if (body && chunked) for (let i = 0; i < body.length; i += 65_536) req.write(body.subarray(i, i + 65_536));
      req.end(body && !chunked ? body : undefined);
    });
  }

  const next = () => request('GET', '/healthz');

  it('reads and discards the body after a 413, a 415 or an early 404, and serves the next request on the same socket', async () => {
    agent?.destroy();
    agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const early: [string, string, Buffer, string, number][] = [
      ['413', '/schedules', Buffer.alloc(LIMIT + 100_000, 'x'), 'application/json', 413],
      ['415', '/schedules', Buffer.alloc(LIMIT - 10_000, 'x'), 'text/plain', 415],
      ['404', '/schedules/nope/sick-leave', Buffer.alloc(LIMIT - 10_000, 'x'), 'application/json', 404],
      ['400', '/pools/bad%20id/assistants/p1', Buffer.alloc(LIMIT - 10_000, 'x'), 'application/json', 400],
    ];
    expect((await next()).status).toBe(200);
    for (const [name, path, body, type, status] of early) {
      const answer = await request(name === '400' ? 'PUT' : 'POST', path, body, { 'content-type': type });
      expect(answer, name).toMatchObject({ status, connection: 'keep-alive', reusedSocket: true, errors: [] });
      expect(await next(), `request after ${name}`).toMatchObject({ status: 200, reusedSocket: true, errors: [] });
    }
    const valid = await request('POST', '/schedules', Buffer.from(JSON.stringify(smallRequest())), { 'content-type': 'application/json' });
    expect(valid).toMatchObject({ status: 202, reusedSocket: true });
  });

  it('says Connection: close before a body too large to read, and closes without resetting the upload', async () => {
    agent?.destroy();
    agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    for (const chunked of [false, true]) {
      const answer = await request('POST', '/schedules', Buffer.alloc(LIMIT * 15, 'x'), { 'content-type': 'application/json' }, chunked);
      expect(answer, chunked ? 'chunked' : 'with length').toMatchObject({ status: 413, code: 'payload_too_large', connection: 'close', errors: [] });
      expect(await next()).toMatchObject({ status: 200, reusedSocket: false, errors: [] });
    }
  });
});
