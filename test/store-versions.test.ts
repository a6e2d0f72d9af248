import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { ScheduleRequestSchema } from '../solver/index.ts';
import type { ScheduleResult } from '../solver/result.ts';
import type { ScheduleStore } from '../src/ports.ts';
import { MemoryStore } from '../src/store/memory.ts';
import { RedisStore } from '../src/store/redis.ts';
import { startRedis, type PrivateRedis } from './helpers/redis.ts';
import { smallRequest } from './helpers/requests.ts';

/**
 * The store's side of serialised sick reports: a result read from an older version, or missing a
 * report accepted meanwhile, is refused, whatever lock did or did not hold (a lease can run out).
 */
const input = ScheduleRequestSchema.parse(smallRequest());
const result = (tag: string) => ({ outcome: 'optimal', shifts: [], tag }) as unknown as ScheduleResult;
const sick = (a: string) => ({ assistantId: a, from: '2027-01-05T00:00', to: '2027-01-06T00:00' });

describe.each(['memory', 'redis'])('schedule versions in the %s store', (kind) => {
  let redis: PrivateRedis | undefined;
  let client: Redis | undefined;
  let store: ScheduleStore;
  beforeAll(async () => {
    if (kind === 'redis') {
      redis = await startRedis();
      client = new Redis(redis.url);
    }
    store = client ? new RedisStore(client, 'versions', 2000) : new MemoryStore();
  });
  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
  });

  it('saves on the basis read, and refuses a save whose version or reports moved on', async () => {
    const created = await store.create(input);
    if (created.kind !== 'created') throw new Error('not created');
    const id = created.record.id;
    expect(await store.saveResult(id, result('first'), { version: 0, sickLeaves: 0 })).toBe(1);
    expect(await store.saveResult(id, result('recovered duplicate'), { version: 0, sickLeaves: 0 })).toBeNull();

    // Two re-plans read version 1 with one report; a second report comes in while they solve.
    expect(await store.addSickLeave(id, sick('a1'))).toEqual({ count: 1, version: 1 });
    expect(await store.addSickLeave(id, sick('a2'))).toEqual({ count: 2, version: 1 });
    expect(await store.saveResult(id, result('missing a2'), { version: 1, sickLeaves: 1 })).toBeNull();
    expect(await store.saveResult(id, result('both'), { version: 1, sickLeaves: 2 })).toBe(2);
    expect(await store.saveResult(id, result('stale'), { version: 1, sickLeaves: 2 })).toBeNull();
    expect(((await store.getVersion(id, 2)) as any).tag).toBe('both');
    expect(await store.get(id)).toMatchObject({ status: 'completed', version: 2, sickLeaves: 2 });
    expect((await store.sickLeaves(id)).map((s) => s.assistantId)).toEqual(['a1', 'a2']);

    // A later job finds both reports in: it marks the schedule current, unless a report came meanwhile.
    await store.update(id, { status: 'queued', error: undefined });
    expect(await store.markCurrent(id, { version: 2, sickLeaves: 2 })).toBe(true);
    expect((await store.get(id))!.status).toBe('completed');
    expect(await store.addSickLeave(id, sick('a3'))).toEqual({ count: 3, version: 2 });
    expect(await store.markCurrent(id, { version: 2, sickLeaves: 2 })).toBe(false);
  });

  it('status and progress writes never put back an older version', async () => {
    const created = await store.create(input);
    if (created.kind !== 'created') throw new Error('not created');
    const id = created.record.id;
    const writes = Array.from({ length: 20 }, (_, k) => store.update(id, { status: 'solving', progress: { fraction: k / 20, phase: 'solve' } }));
    const save = store.saveResult(id, result('v1'), { version: 0, sickLeaves: 0 });
    await Promise.all([...writes, save]);
    expect(await save).toBe(1);
    expect((await store.get(id))!.version).toBe(1);
  });

  it('runs one job of a schedule at a time', async () => {
    const order: string[] = [];
    const job = (tag: string) => store.exclusive('sched', async () => {
      order.push(`${tag}:in`);
      await new Promise((r) => setTimeout(r, 30));
      order.push(`${tag}:out`);
    });
    await Promise.all([job('a'), job('b'), job('c')]);
    for (let k = 0; k < order.length; k += 2) expect(order[k]!.split(':')[0]).toBe(order[k + 1]!.split(':')[0]);
  });
});
