import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import type { Running } from '../src/server.ts';
import { RedisStore } from '../src/store/redis.ts';
import { ScheduleRequestSchema } from '../solver/request.ts';
import { startRedis, type PrivateRedis } from './helpers/redis.ts';
import { smallRequest } from './helpers/requests.ts';
import { getJson, postJson, startService, waitForSchedule } from './helpers/service.ts';
import { MODES, serviceIn } from './helpers/modes.ts';


const ordning = (id: string) => ({ id, timezone: 'Europe/Oslo', vedtak: { hoursPerWeek: 100, year: 2027 } });
const paths = (body: any) => (body.error?.details ?? []).map((d: any) => d.path);

/** What an integrator builds on: listing, display names, pool members with ids, 405, CORS. Both modes. */
describe.each(MODES)('integrator API ($name mode)', ({ name }) => {
  const svc = serviceIn(name);
  let base: string;
  beforeAll(() => {
    base = svc.base;
  });

  /** Every item of a listing, page by page, with the page sizes seen. */
  async function listAll(query: string, limit: number) {
    const items: any[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const res = await getJson(`${base}/schedules?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      items.push(...res.body.items);
      sizes.push(res.body.items.length);
      cursor = res.body.nextCursor;
    } while (cursor && sizes.length < 50);
    return { items, sizes };
  }

  it('lists schedules newest first, filtered by ordning and status, page by page, and forgets deleted ones', async () => {
    const a = `ord-a-${name}`;
    const b = `ord-b-${name}`;
    const ids: Record<string, string[]> = { [a]: [], [b]: [] };
    for (const o of [a, b, a, b, a]) ids[o]!.push((await postJson(`${base}/schedules`, smallRequest({ ordning: ordning(o) }))).body.id);

    const listed = await listAll(`ordningId=${a}`, 2);
    expect(listed.sizes).toEqual([2, 1]);
    expect(listed.items.map((i) => i.id).sort()).toEqual([...ids[a]!].sort());
    expect(listed.items.every((i) => i.ordningId === a)).toBe(true);
    // Newest first; schedules created in the same millisecond by id, descending.
    const order = (x: any, y: any) => Date.parse(y.createdAt) - Date.parse(x.createdAt) || (x.id < y.id ? 1 : -1);
    expect(listed.items).toEqual([...listed.items].sort(order));

    const everything = await listAll('', 2);
    const all = everything.items.map((i) => i.id);
    expect(new Set(all).size).toBe(all.length); // no schedule on two pages
    expect(all).toEqual(expect.arrayContaining([...ids[a]!, ...ids[b]!]));

    for (const id of [...ids[a]!, ...ids[b]!]) await waitForSchedule(base, id);
    expect((await listAll(`ordningId=${b}&status=completed`, 10)).items.map((i) => i.id).sort()).toEqual([...ids[b]!].sort());
    expect((await listAll(`ordningId=${b}&status=queued`, 10)).items).toEqual([]);

    expect((await fetch(`${base}/schedules/${ids[a]![1]}`, { method: 'DELETE' })).status).toBe(204);
    expect((await listAll(`ordningId=${a}`, 10)).items.map((i) => i.id)).toEqual(listed.items.map((i) => i.id).filter((id) => id !== ids[a]![1]));
    expect((await listAll('', 100)).items.map((i) => i.id)).not.toContain(ids[a]![1]);
  });

  it('answers 400 naming the query field for a bad limit, status or cursor', async () => {
    for (const [query, field] of [['limit=0', 'limit'], ['limit=101', 'limit'], ['limit=x', 'limit'], ['status=done', 'status'], ['cursor=bm90LWEtY3Vyc29y', 'cursor'], ['cursor=%25%25', 'cursor']]) {
      const res = await getJson(`${base}/schedules?${query}`);
      expect(res.status, query).toBe(400);
      expect(paths(res.body), query).toContain(field);
    }
  });

  it('returns the display names of assistants and labels of needs in the result', async () => {
    const request = smallRequest({ ordning: ordning(`ord-names-${name}`) });
    request.assistants = request.assistants.map((a, i) => ({ ...a, name: ['Kari Nordmann', 'Ola', 'Åse'][i]! }));
    request.needs = request.needs.map((n) => ({ ...n, label: n.id === 'day' ? 'Dagvakt' : 'Kveld' }));
    const posted = await postJson(`${base}/schedules`, request);
    expect(posted.status).toBe(202);
    const { result } = await waitForSchedule(base, posted.body.id);
    expect(result.assistants.map((a: any) => [a.id, a.name])).toEqual([['a1', 'Kari Nordmann'], ['a2', 'Ola'], ['a3', 'Åse']]);
    expect(new Set(result.shifts.map((s: any) => `${s.needId}:${s.label}`))).toEqual(new Set(['day:Dagvakt', 'eve:Kveld']));
    const empty = smallRequest();
    empty.assistants[0] = { ...empty.assistants[0]!, name: ' ' };
    expect(paths((await postJson(`${base}/schedules`, empty)).body)).toContain('assistants.0.name');
  });

  it('takes a pool member with the path\'s id in the body, and names `id` when it differs', async () => {
    const put = (assistantId: string, body: unknown) =>
      fetch(`${base}/pools/pool-${name}/assistants/${assistantId}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const created = await put('p1', { id: 'p1', name: 'Per', positionPercent: 20 });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ id: 'p1', name: 'Per', positionPercent: 20 });
    expect((await put('p1', { positionPercent: 30 })).status).toBe(200);
    const wrong = await put('p1', { id: 'p2', positionPercent: 20 });
    expect(wrong.status).toBe(400);
    expect(paths(await wrong.json())).toEqual(['id']);
    const pool = await getJson(`${base}/pools/pool-${name}`);
    expect(pool.body.members).toEqual([expect.objectContaining({ id: 'p1', positionPercent: 30 })]);
  });

  it('answers 405 with Allow for a known path with the wrong method, 404 for an unknown path', async () => {
    const cases: [string, string, string][] = [
      ['DELETE', '/schedules', 'GET, HEAD, POST'],
      ['PATCH', '/schedules/4f0c8a8e-5a4e-4a53-9f0e-3b1c7f1f2a10', 'DELETE, GET, HEAD'],
      ['POST', '/schedules/x/versions/1', 'GET, HEAD'],
      ['GET', '/pools/p/assistants/a', 'DELETE, PUT'],
      ['POST', '/healthz', 'GET, HEAD'],
    ];
    for (const [method, path, allow] of cases) {
      const res = await fetch(`${base}${path}`, { method });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get('allow')).toBe(allow);
      expect(((await res.json()) as any).error.code).toBe('method_not_allowed');
    }
    expect((await fetch(`${base}/nowhere`, { method: 'DELETE' })).status).toBe(404);
    // The router reads a trailing slash as another path: no route has it, whatever the method.
    expect((await fetch(`${base}/schedules/4f0c8a8e-5a4e-4a53-9f0e-3b1c7f1f2a10/`)).status).toBe(404);
  });

  it('sends no CORS headers when no origin is configured', async () => {
    const res = await fetch(`${base}/schedules`, { method: 'OPTIONS', headers: { origin: 'https://portal.example.no', 'access-control-request-method': 'POST' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CORS allow-list', () => {
  let service: Running;
  beforeAll(async () => {
    service = await startService({ CORS_ORIGINS: 'https://portal.example.no, https://app.example.no' });
  });
  afterAll(async () => {
    await service?.stop();
  });

  it('answers a preflight and a request from a listed origin, and not from another', async () => {
    const preflight = await fetch(`${service.url}/schedules`, { method: 'OPTIONS', headers: { origin: 'https://app.example.no', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, idempotency-key' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.no');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('idempotency-key');
    const posted = await fetch(`${service.url}/schedules`, { method: 'POST', headers: { origin: 'https://portal.example.no', 'content-type': 'application/json' }, body: JSON.stringify(smallRequest()) });
    expect(posted.status).toBe(202);
    expect(posted.headers.get('access-control-allow-origin')).toBe('https://portal.example.no');
    expect(posted.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('location');
    const other = await fetch(`${service.url}/healthz`, { headers: { origin: 'https://evil.example.com' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a malformed allow-list at start', () => {
    expect(() => loadConfig({ CORS_ORIGINS: 'portal.example.no' })).toThrow(/CORS_ORIGINS/);
  });
});

describe('Redis listing indexes', () => {
  let redis: PrivateRedis;
  let client: Redis;
  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url);
  });
  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
  });

  it('are written with the record and removed with it on delete and on undoCreate', async () => {
    const store = new RedisStore(client, 'ix');
    const input = ScheduleRequestSchema.parse(smallRequest({ ordning: ordning('ord-ix') }));
    const sizes = async () => [await client.zcard('ix:idx:created'), await client.zcard('ix:idx:ordning:ord-ix')];
    const kept = await store.create(input);
    const undone = await store.create(input, { key: 'k1', bodyHash: 'h' });
    expect(await sizes()).toEqual([2, 2]);
    if (undone.kind !== 'created' || kept.kind !== 'created') throw new Error('not created');
    await store.undoCreate(undone.record.id, 'k1', 'ord-ix');
    expect(await sizes()).toEqual([1, 1]);
    expect((await store.list({ ordningId: 'ord-ix', limit: 10 })).items.map((r) => r.id)).toEqual([kept.record.id]);
    expect(await store.delete(kept.record.id)).toBe(true);
    expect(await sizes()).toEqual([0, 0]);
    expect(await store.list({ limit: 10 })).toEqual({ items: [], next: null });
  });
});
