import { describe, expect, it } from 'vitest';
import { startRedis } from './helpers/redis.ts';
import { getJson, postJson, startService, waitForSchedule } from './helpers/service.ts';
import { MODES, serviceIn } from './helpers/modes.ts';

const WEEK = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** An ordning whose two assistants share a morning shift every day; the pool stands behind it. */
const ordning = (id: string, poolId: string) => ({
  ordning: { id, vedtak: { hoursPerWeek: 60, year: 2027 } },
  period: { start: '2027-01-04', weeks: 1 },
  needs: [{ id: 'm', days: WEEK, start: '08:00', end: '14:00' }],
  assistants: [{ id: `${id}-a1`, positionPercent: 60 }, { id: `${id}-a2`, positionPercent: 60 }],
  pool: { id: poolId },
  solver: { timeLimitSeconds: 5, relativeGap: 0.01, engine: 'highs' },
});

const put = (base: string, path: string, body: unknown) => fetch(`${base}${path}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function sickBoth(base: string, id: string, ord: string) {
  // Both team members away: only the pool can cover Tuesday to Thursday.
  const one = await postJson(`${base}/schedules/${id}/sick-leave`, { assistantId: `${ord}-a1`, from: '2027-01-05T00:00', to: '2027-01-08T00:00' });
  expect(one.status).toBe(202);
  await waitForSchedule(base, id);
  const two = await postJson(`${base}/schedules/${id}/sick-leave`, { assistantId: `${ord}-a2`, from: '2027-01-05T00:00', to: '2027-01-08T00:00' });
  expect(two.status).toBe(202);
  return waitForSchedule(base, id);
}

describe.each(MODES)('sick leave and the shared pool ($name mode)', ({ name }) => {
  const svc = serviceIn(name);

  it('registers pool members and re-plans onto a new version with changes, keeping the old one', async () => {
    const base = svc.base;
    expect((await put(base, '/pools/vikar/assistants/p1', { positionPercent: 0 })).status).toBe(201);
    expect((await put(base, '/pools/vikar/assistants/p1', { positionPercent: 0, skills: ['lifting'] })).status).toBe(200);
    expect((await put(base, '/pools/vikar/assistants/p2', { positionPercent: 'x' })).status).toBe(400);
    const posted = await postJson(`${base}/schedules`, ordning('ord-a', 'vikar'));
    const v1 = (await waitForSchedule(base, posted.body.id)).result;
    const done = await sickBoth(base, posted.body.id, 'ord-a');
    const v3 = done.result;
    expect(v3.version).toBe(3);
    expect(v3.compliance.violations).toEqual([]);
    expect(v3.changes.length).toBeGreaterThan(0);
    const pooled = v3.shifts.filter((s: any) => s.sources.includes('pool'));
    expect(pooled.length).toBeGreaterThan(0);
    expect(v3.changes.filter((c: any) => c.source === 'pool').every((c: any) => c.added === 'p1')).toBe(true);
    expect((await getJson(`${base}/schedules/${posted.body.id}/versions/1`)).body).toEqual(v1);
    expect((await getJson(`${base}/schedules/${posted.body.id}/versions/2`)).body.version).toBe(2);
    const poolView = (await getJson(`${base}/pools/vikar`)).body;
    const p1 = poolView.members.find((m: any) => m.id === 'p1');
    expect(p1.bookings.map((b: any) => b.shiftId).sort()).toEqual(pooled.map((s: any) => s.id).sort());
  });

  it('a booked pool member is given as unavailable only once the plans that booked them re-planned (sick leave of a pool member)', async () => {
    const base = svc.base;
    for (const m of ['q1', 'q2']) expect((await put(base, `/pools/vikar-away/assistants/${m}`, { positionPercent: 0 })).status).toBe(201);
    const id = (await postJson(`${base}/schedules`, ordning('ord-c', 'vikar-away'))).body.id;
    await waitForSchedule(base, id);
    const before = (await sickBoth(base, id, 'ord-c')).result;
    const wednesday = before.shifts.find((s: any) => s.id === 'm@2027-01-06');
    expect(wednesday.sources).toEqual(['pool']);
    const member = wednesday.assistantIds[0];
    const spell = { start: '2027-01-06T00:00', end: '2027-01-07T00:00' };
    const refused = await put(base, `/pools/vikar-away/assistants/${member}`, { positionPercent: 0, unavailable: [spell] });
    expect(refused.status).toBe(409);
    const error = ((await refused.json()) as any).error;
    expect(error.code).toBe('member_booked');
    expect(error.details).toEqual([{ path: 'unavailable.0', message: `booked for m@2027-01-06 in schedule ${id}` }]);
    expect((await getJson(`${base}/pools/vikar-away`)).body.members.find((m: any) => m.id === member).unavailable).toEqual([]);
    // Reported sick on the schedule that booked them: the re-plan gives Wednesday to the other member.
    const sick = await postJson(`${base}/schedules/${id}/sick-leave`, { assistantId: member, from: spell.start, to: spell.end });
    expect(sick.status).toBe(202);
    const after = (await waitForSchedule(base, id)).result;
    expect(after.compliance.violations).toEqual([]);
    expect(after.shifts.find((s: any) => s.id === 'm@2027-01-06').assistantIds).toEqual([['q1', 'q2'].find((m) => m !== member)]);
    expect(after.changes).toContainEqual({ shiftId: 'm@2027-01-06', removed: member, added: ['q1', 'q2'].find((m) => m !== member), source: 'pool' });
    expect((await put(base, `/pools/vikar-away/assistants/${member}`, { positionPercent: 0, unavailable: [spell] })).status).toBe(200);
  });

  it('a booked pool member keeps the skills their bookings ask for', async () => {
    const base = svc.base;
    expect((await put(base, '/pools/vikar-skills/assistants/s1', { positionPercent: 0, skills: ['lifting'] })).status).toBe(201);
    // The team lacks the skill: the pool member takes every shift.
    const request = { ...ordning('ord-d', 'vikar-skills'), needs: [{ id: 'm', dates: ['2027-01-05'], start: '08:00', end: '14:00', skills: ['lifting'] }] };
    const id = (await postJson(`${base}/schedules`, request)).body.id;
    expect((await waitForSchedule(base, id)).result.shifts[0].assistantIds).toEqual(['s1']);
    const refused = await put(base, '/pools/vikar-skills/assistants/s1', { positionPercent: 0, skills: ['driving'] });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as any).error.details).toEqual([{ path: 'skills', message: `booked for m@2027-01-05 in schedule ${id}, which asks for lifting` }]);
    expect((await put(base, '/pools/vikar-skills/assistants/s1', { positionPercent: 0, skills: ['lifting', 'driving'] })).status).toBe(200);
  });

  it('answers clear 4xx for bad sick-leave reports', async () => {
    const base = svc.base;
    const posted = await postJson(`${base}/schedules`, ordning('ord-b', 'vikar'));
    const id = posted.body.id;
    const early = await postJson(`${base}/schedules/${id}/sick-leave`, { assistantId: 'ord-b-a1', from: '2027-01-05T00:00', to: '2027-01-06T00:00' });
    expect([202, 409]).toContain(early.status); // 409 while still solving
    await waitForSchedule(base, id);
    const unknown = await postJson(`${base}/schedules/${id}/sick-leave`, { assistantId: 'nobody', from: '2027-01-05T00:00', to: '2027-01-06T00:00' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details[0].path).toBe('assistantId');
    const outside = await postJson(`${base}/schedules/${id}/sick-leave`, { assistantId: 'ord-b-a1', from: '2027-02-05T00:00', to: '2027-02-06T00:00' });
    expect(outside.status).toBe(400);
    expect(outside.body.error.details[0].path).toBe('from');
    const backwards = await postJson(`${base}/schedules/${id}/sick-leave`, { assistantId: 'ord-b-a1', from: '2027-01-06T00:00', to: '2027-01-05T00:00' });
    expect(backwards.status).toBe(400);
    expect((await postJson(`${base}/schedules/none/sick-leave`, { assistantId: 'a', from: '2027-01-05T00:00', to: '2027-01-06T00:00' })).status).toBe(404);
    expect((await getJson(`${base}/pools/unknown-pool`)).status).toBe(404);
  });
});

describe('pool bookings under racing re-plans (real Redis, two service processes’ worth of workers)', () => {
  it('never books a pool member twice, however many ordninger race for them', async () => {
    const redis = await startRedis();
    const env = { REDIS_URL: redis.url, REDIS_PREFIX: 'race', WORKER_CONCURRENCY: '3' };
    const services = [await startService(env), await startService(env)];
    try {
      const base = services[0]!.url;
      await put(base, '/pools/shared/assistants/p1', { positionPercent: 0 });
      const ids: string[] = [];
      const ords = Array.from({ length: 6 }, (_, i) => `race-${i}`);
      for (const ord of ords) ids.push((await postJson(`${base}/schedules`, ordning(ord, 'shared'))).body.id);
      for (const id of ids) await waitForSchedule(base, id);
      // Everyone's whole team falls sick at once, through both APIs.
      const reports = ids.flatMap((id, i) => [`${ords[i]}-a1`, `${ords[i]}-a2`].map((a) => ({ id, a })));
      for (const [k, { id, a }] of reports.entries())
        if (a.endsWith('a1')) expect((await postJson(`${services[k % 2]!.url}/schedules/${id}/sick-leave`, { assistantId: a, from: '2027-01-05T00:00', to: '2027-01-08T00:00' })).status).toBe(202);
      for (const id of ids) await waitForSchedule(base, id);
      await Promise.all(
        ids.map((id, i) => postJson(`${services[i % 2]!.url}/schedules/${id}/sick-leave`, { assistantId: `${ords[i]}-a2`, from: '2027-01-05T00:00', to: '2027-01-08T00:00' })),
      );
      const results = await Promise.all(ids.map((id) => waitForSchedule(base, id, 120_000)));
      const p1Shifts = results.flatMap((r) => r.result.shifts.filter((s: any) => s.assistantIds.includes('p1')));
      // p1 can work at most one 08:00-14:00 shift per day; the three sick days leave 3 to share.
      const byDay = new Map<string, number>();
      for (const s of p1Shifts) byDay.set(s.start.slice(0, 10), (byDay.get(s.start.slice(0, 10)) ?? 0) + 1);
      expect([...byDay.values()].every((n) => n === 1)).toBe(true);
      expect(p1Shifts.length).toBeGreaterThan(0);
      for (const r of results) expect(r.result.compliance.violations).toEqual([]);
      const booked = (await getJson(`${base}/pools/shared`)).body.members[0].bookings;
      expect(booked.length).toBe(p1Shifts.length);
    } finally {
      for (const s of services) await s.stop();
      await redis.stop();
    }
  }, 180_000);
});

describe('a first plan draws from the pool when the team is short', () => {
  it('fills what the team cannot from the pool and books it', async () => {
    const service = await startService({});
    try {
      const base = service.url;
      await put(base, '/pools/short/assistants/p9', { positionPercent: 0 });
      const request = { ...ordning('ord-short', 'short'), assistants: [{ id: 'ord-short-a1', positionPercent: 60 }] };
      const done = await waitForSchedule(base, (await postJson(`${base}/schedules`, request)).body.id);
      const pooled = done.result.shifts.filter((s: any) => s.sources.includes('pool'));
      // Fairness against contracts ranks above pool cost (solver/levels.ts): a1 (60 % of 40 h = 24 h)
      // works 4 mornings of 6 h, exactly the contract, and the pool covers the other 3.
      expect(pooled.length).toBe(3);
      expect(done.result.assistants.find((a: any) => a.id === 'ord-short-a1').plannedHours).toBe(24);
      expect(done.result.compliance.violations).toEqual([]);
      expect(done.result.unfilled).toEqual([]);
      const booked = (await getJson(`${base}/pools/short`)).body.members[0].bookings;
      expect(booked.map((b: any) => b.shiftId).sort()).toEqual(pooled.map((s: any) => s.id).sort());
    } finally {
      await service.stop();
    }
  });
});
