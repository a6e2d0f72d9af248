import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../src/server.ts';
import { startRedis, type PrivateRedis } from './helpers/redis.ts';
import { getJson, postJson, startService, waitForSchedule } from './helpers/service.ts';

const WEEK = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** A day and an evening shift every day; six assistants, no pool: the team refills what the sick leave. */
const ordning = (id: string) => ({
  ordning: { id, vedtak: { hoursPerWeek: 200, year: 2027 } },
  period: { start: '2027-01-04', weeks: 1 },
  needs: [
    { id: 'day', days: WEEK, start: '07:00', end: '15:00' },
    { id: 'eve', days: WEEK, start: '15:00', end: '23:00' },
  ],
  assistants: Array.from({ length: 6 }, (_, i) => ({ id: `${id}-a${i + 1}`, positionPercent: 60 })),
  solver: { timeLimitSeconds: 2, relativeGap: 0.05, engine: 'highs' },
});

/** Four reports per schedule: overlapping intervals, one covering the whole week. */
const reportsFor = (ord: string) => [
  { assistantId: `${ord}-a1`, from: '2027-01-04T00:00', to: '2027-01-07T00:00' },
  { assistantId: `${ord}-a2`, from: '2027-01-06T00:00', to: '2027-01-09T00:00' },
  { assistantId: `${ord}-a3`, from: '2027-01-08T12:00', to: '2027-01-11T00:00' },
  { assistantId: `${ord}-a4`, from: '2027-01-04T00:00', to: '2027-01-11T00:00' },
];

/** January in Oslo is UTC+1: local report times as instants. */
const instant = (local: string) => Date.parse(`${local}:00+01:00`);
const worksDuring = (result: any, r: { assistantId: string; from: string; to: string }) =>
  result.shifts.filter((s: any) => s.assistantIds.includes(r.assistantId) && Date.parse(s.start) < instant(r.to) && Date.parse(s.end) > instant(r.from)).map((s: any) => s.id);

/** Polls until the schedule has settled on at least `version`; a failure ends the wait with its error. */
async function waitForVersion(base: string, id: string, version: number, timeoutMs = 150_000): Promise<any> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await getJson(`${base}/schedules/${id}`);
    if (body.status === 'failed') throw new Error(`schedule ${id} failed: ${body.error?.message}`);
    if (body.status === 'completed' && body.result.version >= version) return body;
    if (Date.now() > until) throw new Error(`schedule ${id} at ${body.status} v${body.result?.version}, waiting for v${version}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const modes: { name: string; setup: () => Promise<{ services: Running[]; stop: () => Promise<void> }> }[] = [
  {
    // Three solves at once in one process: without a per-schedule order, re-plans of one schedule race.
    name: 'embedded, three workers',
    setup: async () => {
      const service = await startService({ WORKER_CONCURRENCY: '3' });
      return { services: [service], stop: () => service.stop() };
    },
  },
  {
    // Two service processes' worth of API and workers on one real Redis.
    name: 'redis, two services with two workers each',
    setup: async () => {
      const redis: PrivateRedis = await startRedis();
      const env = { REDIS_URL: redis.url, REDIS_PREFIX: 'sickrace', WORKER_CONCURRENCY: '2' };
      const services = [await startService(env), await startService(env)];
      return {
        services,
        stop: async () => {
          for (const s of services) await s.stop();
          await redis.stop();
        },
      };
    },
  },
];

describe.each(modes)('concurrent sick reports ($name)', ({ setup }) => {
  let env: { services: Running[]; stop: () => Promise<void> };
  beforeAll(async () => {
    env = await setup();
  }, 60_000);
  afterAll(async () => {
    await env?.stop();
  });

  it('puts every accepted report into the next version and the final one: no reported assistant works inside their interval', async () => {
    const api = (k: number) => env.services[k % env.services.length]!.url;
    const ords = Array.from({ length: 5 }, (_, i) => `sick-${i}`);
    const ids: string[] = [];
    for (const ord of ords) ids.push((await postJson(`${api(0)}/schedules`, ordning(ord))).body.id);
    for (const id of ids) expect((await waitForSchedule(api(0), id)).status).toBe('completed');

    // 20 reports at once, 4 per schedule, through every API.
    const sent = ids.flatMap((id, i) => reportsFor(ords[i]!).map((report) => ({ id, report })));
    const answers = await Promise.all(sent.map(({ id, report }, k) => postJson(`${api(k)}/schedules/${id}/sick-leave`, report)));
    expect(answers.map((a) => a.status)).toEqual(sent.map(() => 202));

    for (const [i, id] of ids.entries()) {
      const mine = sent.map((s, k) => ({ ...s, promised: answers[k]!.body.version as number })).filter((s) => s.id === id);
      const final = (await waitForVersion(api(i), id, Math.max(...mine.map((m) => m.promised)))).result;
      expect(final.compliance.violations).toEqual([]);
      for (const { report, promised } of mine) {
        expect(worksDuring(final, report)).toEqual([]);
        // The version the 202 named already has the report in it.
        const named = (await getJson(`${api(i)}/schedules/${id}/versions/${promised}`)).body;
        expect(worksDuring(named, report)).toEqual([]);
      }
    }
  }, 240_000);
});
