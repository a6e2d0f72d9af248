import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../src/server.ts';
import { startRedis, type PrivateRedis } from './helpers/redis.ts';
import { smallRequest } from './helpers/requests.ts';
import { postJson, startService, waitForSchedule } from './helpers/service.ts';

/**
 * Reading links in Redis mode without LINK_SECRET: the secret and each schedule's link generation
 * live in Redis, so a link issued by one API process opens on another, and a revoke on either holds
 * on both.
 */
describe('signed reading links across two API processes (Redis mode)', () => {
  let redis: PrivateRedis;
  let one: Running;
  let two: Running;
  let id: string;

  beforeAll(async () => {
    redis = await startRedis();
    const env = { REDIS_URL: redis.url, REDIS_PREFIX: `links${process.pid}` };
    one = await startService(env);
    two = await startService(env);
    const posted = await postJson(`${one.url}/schedules`, smallRequest());
    id = posted.body.id;
    expect((await waitForSchedule(one.url, id)).status).toBe('completed');
  });
  afterAll(async () => {
    await Promise.all([one?.stop(), two?.stop()]);
    await redis?.stop();
  });

  const on = (service: Running, url: string) => url.replace(new URL(url).origin, service.url);

  it('opens a link on the other process, and a revoke on either holds on both', async () => {
    const link = (await postJson(`${one.url}/schedules/${id}/links`, { scope: 'calendar', assistantId: 'a1' })).body.url as string;
    expect((await fetch(on(two, link))).status).toBe(200);
    expect((await fetch(on(one, link))).status).toBe(200);
    const tampered = link.replace(/token=(\d+)\./, (_, e) => `token=${Number(e) + 1}.`);
    expect((await fetch(on(two, tampered))).status).toBe(403);

    const fresh = await postJson(`${two.url}/schedules/${id}/links`, { scope: 'turnus', revokeEarlier: true });
    expect(fresh.status).toBe(201);
    expect((await fetch(on(one, link))).status).toBe(403);
    expect((await fetch(on(two, link))).status).toBe(403);
    expect((await fetch(on(one, fresh.body.url))).status).toBe(200);
  });

  it('forgets the generation with the schedule', async () => {
    const client = new Redis(redis.url);
    const key = `links${process.pid}:store:s:${id}:links`;
    try {
      await postJson(`${one.url}/schedules/${id}/links`, { scope: 'turnus', revokeEarlier: true });
      expect(Number(await client.get(key))).toBeGreaterThanOrEqual(2);
      expect((await fetch(`${one.url}/schedules/${id}`, { method: 'DELETE' })).status).toBe(204);
      expect(await client.exists(key)).toBe(0);
      expect((await fetch(`${one.url}/schedules/${id}/turnus`)).status).toBe(404);
    } finally {
      client.disconnect();
    }
  });
});
