import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../src/server.ts';
import { poolStoreFor } from './helpers/pool-store.ts';
import { startRedis, type PrivateRedis } from './helpers/redis.ts';
import { getJson, postJson, startService, waitForSchedule } from './helpers/service.ts';

const put = (base: string, poolId: string, id: string) =>
  fetch(`${base}/pools/${poolId}/assistants/${id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"positionPercent":0}' });

describe.each(['embedded', 'redis'] as const)('pool bounds over HTTP (%s mode)', (mode) => {
  let service: Running;
  let redis: PrivateRedis | undefined;

  beforeAll(async () => {
    redis = mode === 'redis' ? await startRedis() : undefined;
    service = await startService({ POOL_MAX_MEMBERS: '2', MAX_POOLS_IN_MEMORY: '2', PLANNER_MAX_CHOICES: '10', ...(redis ? { REDIS_URL: redis.url, REDIS_PREFIX: 'bounds' } : {}) });
  });
  afterAll(async () => {
    await service?.stop();
    await redis?.stop();
  });

  it('refuses a new member of a full pool with 409 naming the pool, and still updates the members it has', async () => {
    expect((await put(service.url, 'a', 'p1')).status).toBe(201);
    expect((await put(service.url, 'a', 'p2')).status).toBe(201);
    const full = await put(service.url, 'a', 'p3');
    expect(full.status).toBe(409);
    expect(((await full.json()) as any).error).toMatchObject({ code: 'pool_full', details: [{ path: 'poolId', message: 'pool "a" is full' }] });
    expect((await put(service.url, 'a', 'p1')).status).toBe(200);
    expect((await getJson(`${service.url}/pools/a`)).body.members.map((m: { id: string }) => m.id).sort()).toEqual(['p1', 'p2']);
  });

  it('refuses a new pool past the embedded store\'s most pools; Redis keeps any number', async () => {
    expect((await put(service.url, 'b', 'p1')).status).toBe(201);
    const third = await put(service.url, 'c', 'p1');
    expect(third.status).toBe(mode === 'embedded' ? 409 : 201);
    if (mode === 'embedded') expect(((await third.json()) as any).error.code).toBe('store_full');
  });

  it('admits a first plan on its team and its pool together: 422 naming the pool when the pool makes it too large', async () => {
    // A week of one shift a day: 7 choices for the team of one, 21 beside pool "a" (two members); at most 10.
    const request = (pool?: { id: string }) => ({
      ordning: { id: 'ord-adm', vedtak: { hoursPerWeek: 20, year: 2027 } },
      period: { start: '2027-01-04', weeks: 1 },
      needs: [{ id: 'day', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '08:00', end: '12:00' }],
      assistants: [{ id: 'a1', positionPercent: 50 }],
      ...(pool ? { pool } : {}),
    });
    const refused = await postJson(`${service.url}/schedules`, request({ id: 'a' }));
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('too_large');
    expect(refused.body.error.message).toContain('21 shift-assistant choices');
    expect(refused.body.error.details).toEqual([{ path: 'pool.id', message: expect.stringContaining('2 of them from pool "a"') }]);
    expect((await postJson(`${service.url}/schedules`, request())).status).toBe(202);
  });

  it('removes a member no plan has booked, and refuses one a plan has with 409', async () => {
    const remove = (poolId: string, id: string) => fetch(`${service.url}/pools/${poolId}/assistants/${id}`, { method: 'DELETE' });
    expect((await remove('a', 'p2')).status).toBe(204);
    expect((await getJson(`${service.url}/pools/a`)).body.members.map((m: { id: string }) => m.id)).toEqual(['p1']);
    expect((await remove('a', 'p2')).status).toBe(404);
    expect((await put(service.url, 'a', 'p3')).status).toBe(201); // room again
    // Two day shifts the team's 10 % cannot cover: pool "b"'s one member takes them.
    const posted = await postJson(`${service.url}/schedules`, {
      ordning: { id: 'ord-b', vedtak: { hoursPerWeek: 16, year: 2027 } },
      period: { start: '2027-01-04', weeks: 1 },
      needs: [{ id: 'day', days: ['mon', 'tue'], start: '08:00', end: '16:00' }],
      assistants: [{ id: 'a1', positionPercent: 10 }],
      pool: { id: 'b' },
    });
    expect(posted.status).toBe(202);
    const done = await waitForSchedule(service.url, posted.body.id);
    expect(done.result.shifts.some((s: { assistantIds: string[] }) => s.assistantIds.includes('p1'))).toBe(true);
    const refused = await remove('b', 'p1');
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as any).error).toMatchObject({ code: 'member_booked', details: [{ path: 'assistantId', message: 'booked' }] });
    expect((await fetch(`${service.url}/schedules/${posted.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await remove('b', 'p1')).status).toBe(204);
  }, 60_000);
});

describe.each(['memory', 'redis'] as const)('pool bounds in the %s pool store', (kind) => {
  const store = poolStoreFor(kind, 'bounds');

  it('let registrations at once take the last places, and no more', async () => {
    const member = (id: string) => ({ id, positionPercent: 0, skills: [], unavailable: [], preferences: [] });
    const outcomes = await Promise.all(['p1', 'p2', 'p3', 'p4', 'p5'].map((id) => store().putMember('race', member(id), 3)));
    expect(outcomes.filter((o) => o === 'created')).toHaveLength(3);
    expect(outcomes.filter((o) => o === 'full')).toHaveLength(2);
    expect(await store().members('race')).toHaveLength(3);
  });
});

describe('ordninger in the embedded store', () => {
  let service: Running;
  beforeAll(async () => {
    service = await startService({ MAX_ORDNINGER_IN_MEMORY: '1' });
  });
  afterAll(async () => service?.stop());

  it('are refused past MAX_ORDNINGER_IN_MEMORY with 409 store_full, and a delete makes room', async () => {
    const ordning = { timezone: 'Europe/Oslo', vedtak: { hoursPerWeek: 20, from: '2027-01-01' }, rules: { profile: 'aml' }, assistants: [{ id: 'a1', positionPercent: 50 }] };
    const put = (id: string) => fetch(`${service.url}/ordninger/${id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ordning) });
    expect((await put('x')).status).toBe(201);
    const full = await put('y');
    expect(full.status).toBe(409);
    expect(((await full.json()) as any).error).toMatchObject({ code: 'store_full', details: [{ path: 'id', message: 'no room for a new ordning' }] });
    expect((await put('x')).status).toBe(200);
    expect((await fetch(`${service.url}/ordninger/x`, { method: 'DELETE' })).status).toBe(204);
    expect((await put('y')).status).toBe(201);
  });
});
