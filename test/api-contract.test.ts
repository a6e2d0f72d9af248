import { beforeAll, describe, expect, it } from 'vitest';
import { startRedis } from './helpers/redis.ts';
import { smallRequest } from './helpers/requests.ts';
import { getJson, postJson, startService, waitForSchedule } from './helpers/service.ts';
import { MODES, serviceIn } from './helpers/modes.ts';


/** One contract, two modes: the embedded default and Redis + BullMQ. */
describe.each(MODES)('API contract ($name mode)', ({ name }) => {
  const svc = serviceIn(name, { BODY_LIMIT_BYTES: '20000' });
  let base: string;

  beforeAll(() => {
    base = svc.base;
    expect(svc.service.mode).toBe(name);
  });

  it('answers health and readiness', async () => {
    expect((await getJson(`${base}/healthz`)).status).toBe(200);
    expect(await getJson(`${base}/readyz`)).toEqual({ status: 200, body: { status: 'ready' } });
  });

  it('queues a schedule, solves it and serves the plan and its version', async () => {
    const posted = await postJson(`${base}/schedules`, smallRequest());
    expect(posted.status).toBe(202);
    expect(posted.body.status).toBe('queued');
    expect(posted.headers.get('location')).toBe(`/schedules/${posted.body.id}`);
    const done = await waitForSchedule(base, posted.body.id);
    expect(done.status).toBe('completed');
    const result = done.result;
    expect(result.version).toBe(1);
    expect(['optimal', 'feasible']).toContain(result.outcome);
    expect(result.shifts).toHaveLength(14);
    expect(result.compliance.violations).toEqual([]);
    expect(result.shifts.filter((s: any) => s.assistantIds.length > 0).length).toBeGreaterThan(0);
    expect(result.budget.plannedHours).toBeLessThanOrEqual(result.budget.vedtakHoursInPeriod);
    expect((await getJson(`${base}/schedules/${posted.body.id}/versions/1`)).body).toEqual(result);
    expect((await getJson(`${base}/schedules/${posted.body.id}/versions/2`)).status).toBe(404);
  });

  it('answers 404 in the error shape for unknown ids and routes', async () => {
    const res = await getJson(`${base}/schedules/nope`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect((await getJson(`${base}/nowhere`)).status).toBe(404);
  });

  it('names each bad field in a 400 and creates no job', async () => {
    const bad = smallRequest();
    (bad.needs[0] as any).start = '25:00';
    (bad.assistants[1] as any).positionPercent = 140;
    delete (bad as any).period;
    const res = await postJson(`${base}/schedules`, bad);
    expect(res.status).toBe(400);
    const paths = res.body.error.details.map((d: any) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['needs.0.start', 'assistants.1.positionPercent', 'period']));
    expect(res.body.error.details.find((d: any) => d.path === 'needs.0.start').message).toMatch(/HH:MM/);
  });

  it('rejects malformed JSON with 400, non-JSON with 415 and an oversized body with 413', async () => {
    const post = (body: string, type: string) => fetch(`${base}/schedules`, { method: 'POST', headers: { 'content-type': type }, body });
    const malformed = await post('{"ordning": ', 'application/json');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as any).error.code).toBe('malformed_json');
    expect((await post('hello', 'text/plain')).status).toBe(415);
    const big = await post(JSON.stringify({ ...smallRequest(), pad: 'x'.repeat(30_000) }), 'application/json');
    expect(big.status).toBe(413);
    expect(((await big.json()) as any).error.code).toBe('payload_too_large');
  });

  it('answers the same job for a repeated Idempotency-Key and 409 for another body', async () => {
    const key = { 'idempotency-key': `k-${name}-${Date.now()}` };
    const first = await postJson(`${base}/schedules`, smallRequest(), key);
    const again = await postJson(`${base}/schedules`, smallRequest(), key);
    expect(again.status).toBe(202);
    expect(again.body.id).toBe(first.body.id);
    const other = await postJson(`${base}/schedules`, smallRequest({ period: { start: '2027-01-11', weeks: 1 } }), key);
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('idempotency_conflict');
    await waitForSchedule(base, first.body.id);
  });

  it('deletes a schedule with its input and plans', async () => {
    const posted = await postJson(`${base}/schedules`, smallRequest());
    await waitForSchedule(base, posted.body.id);
    expect((await fetch(`${base}/schedules/${posted.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await getJson(`${base}/schedules/${posted.body.id}`)).status).toBe(404);
    expect((await getJson(`${base}/schedules/${posted.body.id}/versions/1`)).status).toBe(404);
    expect((await fetch(`${base}/schedules/${posted.body.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('serves an OpenAPI document built from the request schema', async () => {
    const doc = (await getJson(`${base}/openapi.json`)).body;
    expect(doc.paths['/schedules'].post.requestBody.content['application/json'].schema.properties.needs).toBeDefined();
  });
});

describe('Redis mode keeps results across an API restart', () => {
  it('reads a completed schedule from a new process of the service', async () => {
    const redis = await startRedis();
    try {
      const env = { REDIS_URL: redis.url, REDIS_PREFIX: 'restart' };
      const first = await startService(env);
      const posted = await postJson(`${first.url}/schedules`, smallRequest());
      const done = await waitForSchedule(first.url, posted.body.id);
      await first.stop();
      const second = await startService(env);
      const again = await getJson(`${second.url}/schedules/${posted.body.id}`);
      await second.stop();
      expect(again.body.status).toBe('completed');
      expect(again.body.result).toEqual(done.result);
    } finally {
      await redis.stop();
    }
  });
});
