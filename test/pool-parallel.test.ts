import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScheduleRequestSchema, shutdownEngines, type ScheduleRequestInput } from '../solver/index.ts';
import type { ScheduleResult } from '../solver/result.ts';
import { createLogger } from '../src/logger.ts';
import { runTask } from '../src/planner/task.ts';
import { MemoryPool } from '../src/pool/memory.ts';
import { bookOptimistically, poolBookings } from '../src/pool/optimistic.ts';
import { auditPool, checkEachPlan, sharedMembers, type StoredPlan } from '../bench/pool-audit.ts';
import { startRedis, type PrivateRedis } from './helpers/redis.ts';
import { poolStoreFor } from './helpers/pool-store.ts';
import { getJson, postJson, startService, waitForSchedule } from './helpers/service.ts';
import type { Running } from '../src/server.ts';

afterAll(() => shutdownEngines());

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const WEEK_START = Date.parse('2027-01-04T00:00:00+01:00');

/** One team assistant at 75 % and a day shift Monday to Saturday: the pool covers what the law leaves. */
const ordning = (id: string, poolId: string, over: Partial<ScheduleRequestInput> = {}): ScheduleRequestInput => ({
  ordning: { id, vedtak: { hoursPerWeek: 60, year: 2027 } },
  period: { start: '2027-01-04', weeks: 1 },
  needs: [{ id: 'day', days: DAYS as any, start: '08:00', end: '16:00' }],
  assistants: [{ id: `${id}-a1`, positionPercent: 75 }],
  pool: { id: poolId },
  solver: { timeLimitSeconds: 5, relativeGap: 0.01, engine: 'highs' },
  ...over,
});
/** The team assistant away all week, and one shift on Wednesday: only the pool can cover it. */
const wednesdayOnly = (id: string, poolId: string) =>
  ordning(id, poolId, {
    needs: [{ id: 'day', dates: ['2027-01-06'], start: '08:00', end: '16:00' }],
    assistants: [{ id: `${id}-a1`, positionPercent: 50, unavailable: [{ start: '2027-01-04T00:00', end: '2027-01-11T00:00' }] }],
  });

const put = (base: string, path: string, body: unknown) => fetch(`${base}${path}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const onShift = (r: ScheduleResult, member: string) => r.shifts.filter((s) => s.assistantIds.includes(member));

describe('pool solves in parallel over HTTP (real Redis, two jobs at a time)', () => {
  let redis: PrivateRedis;
  let service: Running;
  beforeAll(async () => {
    redis = await startRedis();
    service = await startService({ REDIS_URL: redis.url, REDIS_PREFIX: 'poolpar', WORKER_CONCURRENCY: '2' });
  });
  afterAll(async () => {
    await service?.stop();
    await redis?.stop();
  });

  it('plans several ordninger sharing a pool at once: every plan legal, no member booked twice or over a summed limit', async () => {
    const base = service.url;
    for (const m of ['p1', 'p2', 'p3', 'p4']) expect((await put(base, `/pools/kommune/assistants/${m}`, { positionPercent: 0 })).status).toBe(201);
    // Teams at 50 %: about 21 pool shifts wanted, the four members' 40 h weeks allow 20.
    const requests = Array.from({ length: 6 }, (_, i) => ordning(`ord-${i}`, 'kommune', { assistants: [{ id: `ord-${i}-a1`, positionPercent: 50 }] }));
    const posted = await Promise.all(requests.map((r) => postJson(`${base}/schedules`, r)));
    for (const p of posted) expect(p.status).toBe(202);
    const done = await Promise.all(posted.map((p) => waitForSchedule(base, p.body.id, 120_000)));
    for (const d of done) expect(d.status).toBe('completed');
    const plans: StoredPlan[] = done.map((d, i) => ({ scheduleId: posted[i]!.body.id, request: requests[i]!, result: d.result }));
    console.log(`pool-parallel: ${plans.reduce((t, p) => t + p.result.shifts.filter((s) => s.sources.includes('pool')).length, 0)} pool shifts, ${sharedMembers(plans)} members shared, ${plans.reduce((t, p) => t + p.result.unfilled.length, 0)} unfilled, peak heap ${plans.map((p) => p.result.solver.peakHeapMb).join(' ')} MB`);
    for (const p of plans) expect(p.result.compliance.violations).toEqual([]);
    expect(checkEachPlan(plans)).toEqual([]);
    expect(auditPool(plans, [WEEK_START])).toEqual([]);
    // The pool was needed and shared: a member works in more than one ordning.
    expect(sharedMembers(plans)).toBeGreaterThan(0);
    for (const p of plans) expect(p.result.solver.peakHeapMb).toBeGreaterThan(0);
    // The pool's bookings are exactly the plans' pool shifts.
    const view = (await getJson(`${base}/pools/kommune`)).body;
    const booked = view.members.flatMap((m: any) => m.bookings.map((b: any) => `${m.id} ${b.shiftId} ${b.scheduleId}`)).sort();
    const planned = plans.flatMap((p) => p.result.shifts.flatMap((s) => s.assistantIds.filter((_, k) => s.sources[k] === 'pool').map((a) => `${a} ${s.id} ${p.scheduleId}`))).sort();
    expect(booked).toEqual(planned);
  }, 180_000);

  it('two ordninger needing the one pool member at the same time: one booking, the other planned without them', async () => {
    const base = service.url;
    expect((await put(base, '/pools/single/assistants/p1', { positionPercent: 0 })).status).toBe(201);
    const requests = [wednesdayOnly('ord-x', 'single'), wednesdayOnly('ord-y', 'single')];
    const posted = await Promise.all(requests.map((r) => postJson(`${base}/schedules`, r)));
    const done = await Promise.all(posted.map((p) => waitForSchedule(base, p.body.id, 120_000)));
    for (const d of done) expect(d.status).toBe('completed');
    const withP1 = done.filter((d) => onShift(d.result, 'p1').length === 1);
    const without = done.filter((d) => onShift(d.result, 'p1').length === 0);
    expect(withP1).toHaveLength(1);
    expect(without).toHaveLength(1);
    expect(without[0].result.unfilled.map((u: any) => u.shiftId)).toEqual(['day@2027-01-06']);
    const bookings = (await getJson(`${base}/pools/single`)).body.members[0].bookings;
    expect(bookings).toHaveLength(1);
    expect(bookings[0].scheduleId).toBe(posted[done.indexOf(withP1[0])]!.body.id);
  }, 120_000);
});

describe.each(['memory', 'redis'] as const)('a clash at booking time (%s pool)', (kind) => {
  const store = poolStoreFor(kind, 'clash');
  const member = (id: string) => ({ id, positionPercent: 0, skills: [], unavailable: [], preferences: [] });

  /**
   * Y's team member takes Monday and Tuesday; Wednesday is the pool's. While Y solves on the old
   * snapshot, X books the member Y took on Wednesday, for Wednesday.
   */
  async function clashOnWednesday(poolId: string, cutShort = false) {
    const input = ScheduleRequestSchema.parse(ordning('ord-y', poolId, {
      needs: [{ id: 'day', dates: ['2027-01-04', '2027-01-05', '2027-01-06'], start: '08:00', end: '16:00' }],
      assistants: [{ id: 'ord-y-a1', positionPercent: 50, unavailable: [{ start: '2027-01-06T00:00', end: '2027-01-07T00:00' }] }],
    }));
    const x = ScheduleRequestSchema.parse(wednesdayOnly('ord-x', poolId));
    const solves: string[] = [];
    const freed: string[][] = [];
    const saved: ScheduleResult[] = [];
    const mended: ScheduleResult[] = [];
    let taken: string | undefined;
    const outcome = await bookOptimistically({
      pool: store(), log: createLogger('silent'), input, scheduleId: 'sy', standing: null,
      solve: async (members, bookings) => {
        solves.push(`solve with ${bookings.length} bookings`);
        const result = await runTask({ kind: 'plan', request: input, members, bookings }, () => {});
        if (!taken) {
          taken = onShift(result, 'ord-y-a1').length === 2 ? result.shifts.find((s) => s.id === 'day@2027-01-06')!.assistantIds[0] : undefined;
          expect(taken).toBeDefined();
          const xPlan = await runTask({ kind: 'plan', request: x, members: members.filter((m) => m.id === taken), bookings: [] }, () => {});
          expect(await store().book(poolId, 'sx', poolBookings(x, 'sx', xPlan))).toBe(true);
        } else if (cutShort) return withMondayOpen(result);
        return result;
      },
      repair: async (plan, members, bookings, free) => {
        freed.push(free);
        mended.push(await runTask({ kind: 'repair', request: input, plan, free, members, bookings }, () => {}));
        return mended.at(-1)!;
      },
      save: async (result) => (saved.push(result), 1),
    });
    expect(outcome!.result).toBe(saved[0]);
    return { y: outcome!.result, solves, freed, mended, taken: taken! };
  }

  /** A whole solve cut short (its time limit, a cancel), as a plan: Monday's shift left open as well. */
  const withMondayOpen = (plan: ScheduleResult): ScheduleResult => {
    const monday = plan.shifts.find((s) => s.id === 'day@2027-01-04')!;
    const open = { shiftId: monday.id, missing: 1, reason: 'the search was stopped', code: plan.unfilled[0]!.code, facts: { ...plan.unfilled[0]!.facts, assistantIds: [] } };
    const level = `coverage-${open.facts.priority}`;
    const levels = plan.solver.levels.map((l) => (l.name === level ? { ...l, value: l.value - monday.hours } : l));
    return { ...plan, shifts: plan.shifts.map((s) => (s === monday ? { ...s, assistantIds: [], sources: [] } : s)), unfilled: [...plan.unfilled, open], solver: { ...plan.solver, levels } };
  };

  it('the check finds it; the repair frees that member alone, keeps the rest, and gives Wednesday to another', async () => {
    for (const id of ['p1', 'p2']) await store().putMember('vikar', member(id));
    const { y, solves, freed, taken } = await clashOnWednesday('vikar');
    expect(solves).toEqual(['solve with 0 bookings']);
    expect(freed).toEqual([[taken]]);
    expect(onShift(y, taken)).toEqual([]);
    expect(y.unfilled).toEqual([]);
    expect(y.shifts.find((s) => s.id === 'day@2027-01-06')!.assistantIds).toEqual([['p1', 'p2'].find((m) => m !== taken)]);
    // Planned around kept assignments nobody proved best: nothing is claimed proven.
    expect(y.outcome).not.toBe('optimal');
    expect(y.solver.levels.every((l) => l.status !== 'optimal' && l.bound === null)).toBe(true);
    // The rest of the plan is kept as it was solved.
    expect(y.shifts.filter((s) => s.id !== 'day@2027-01-06').map((s) => s.assistantIds)).toEqual([['ord-y-a1'], ['ord-y-a1']]);
  }, 60_000);

  it('a repair that leaves open a place the plan had covered is followed by a solve of the whole plan on the fresh bookings', async () => {
    await store().putMember('alone', member('p1'));
    const { y, solves, freed } = await clashOnWednesday('alone');
    expect(freed).toEqual([['p1']]);
    // The repair left Wednesday open: the whole plan is solved again, and so proven, not patched.
    expect(solves).toEqual(['solve with 0 bookings', 'solve with 1 bookings']);
    expect(onShift(y, 'p1')).toEqual([]);
    expect(y.unfilled.map((u) => u.shiftId)).toEqual(['day@2027-01-06']);
    expect(y.solver.levels[0]!.status).toBe('optimal');
    const booked = await store().bookings('alone');
    expect(booked.map((b) => `${b.scheduleId} ${b.assistantId} ${b.shiftId}`)).toEqual(['sx p1 day@2027-01-06']);
  }, 60_000);

  it('a whole solve that covers less than the repair (cut short) leaves the repair standing', async () => {
    await store().putMember('short', member('p1'));
    const { y, solves, mended } = await clashOnWednesday('short', true);
    expect(solves).toEqual(['solve with 0 bookings', 'solve with 1 bookings']);
    expect(mended).toHaveLength(1);
    // The repair stands, and its open place says it is not proven, and why.
    expect(y.shifts).toEqual(mended[0]!.shifts);
    expect(y.unfilled.map((u) => `${u.shiftId} ${u.facts.mended}`)).toEqual(['day@2027-01-06 true']);
    expect(y.unfilled[0]!.reason).toMatch(/the plan was mended after a clash in the shared pool/);
  }, 60_000);

  it('a repair that covers every place but puts the team member over contract is followed by a solve of the whole plan', async () => {
    await store().putMember('fair', member('p1'));
    // Three days of 8 h; the team member's 50 % is 18.75 h a week: two days are the fairest, the pool takes the third.
    const input = ScheduleRequestSchema.parse(ordning('ord-y', 'fair', {
      needs: [{ id: 'day', dates: ['2027-01-04', '2027-01-05', '2027-01-06'], start: '08:00', end: '16:00' }],
      assistants: [{ id: 'ord-y-a1', positionPercent: 50 }],
    }));
    const solves: number[] = [];
    const mended: ScheduleResult[] = [];
    let day: string | undefined;
    const outcome = await bookOptimistically({
      pool: store(), log: createLogger('silent'), input, scheduleId: 'sy', standing: null,
      solve: async (members, bookings) => {
        solves.push(bookings.length);
        const result = await runTask({ kind: 'plan', request: input, members, bookings }, () => {});
        if (!day) {
          // While Y solves, X books p1 for the day Y gave p1.
          const taken = onShift(result, 'p1')[0]!;
          day = taken.id;
          const booking = { assistantId: 'p1', ordningId: 'ord-x', scheduleId: 'sx', shiftId: 'day@x', start: taken.start, end: taken.end, kind: 'active' as const, minDailyRestHours: 11, minWeeklyRestHours: 35 };
          expect(await store().book('fair', 'sx', [booking])).toBe(true);
        }
        return result;
      },
      repair: async (plan, members, bookings, free) => (mended.push(await runTask({ kind: 'repair', request: input, plan, free, members, bookings }, () => {})), mended.at(-1)!),
      save: async () => 1,
    });
    const y = outcome!.result;
    // The repair covered the freed day with the team member: three days, 24 h against 18.75.
    expect(mended).toHaveLength(1);
    expect(mended[0]!.unfilled).toEqual([]);
    expect(onShift(mended[0]!, 'ord-y-a1')).toHaveLength(3);
    // The whole plan solved again: p1 on another day, the team member on two, every place covered, proven.
    expect(solves).toEqual([0, 1]);
    expect(y.unfilled).toEqual([]);
    expect(onShift(y, 'ord-y-a1')).toHaveLength(2);
    expect(onShift(y, 'p1').map((s) => s.id)).not.toContain(day);
    expect(y.fairness.maxRelativeDeviation).toBeLessThan(mended[0]!.fairness.maxRelativeDeviation);
    expect(y.outcome).toBe('optimal');
  }, 60_000);

  it('a member given as unavailable while the plan was solved: the check reads their record as it is now, and the mend plans without them', async () => {
    for (const id of ['p1', 'p2']) await store().putMember('away', member(id));
    const input = ScheduleRequestSchema.parse(wednesdayOnly('ord-z', 'away'));
    const freed: string[][] = [];
    let taken: string | undefined;
    const outcome = await bookOptimistically({
      pool: store(), log: createLogger('silent'), input, scheduleId: 'sz', standing: null,
      solve: async (members, bookings) => {
        const result = await runTask({ kind: 'plan', request: input, members, bookings }, () => {});
        if (!taken) {
          // While Z solves on its snapshot, the member it took is given Wednesday off (PUT of the member).
          taken = result.shifts[0]!.assistantIds[0]!;
          await store().putMember('away', { ...member(taken), unavailable: [{ start: '2027-01-06T00:00', end: '2027-01-07T00:00' }] });
        }
        return result;
      },
      repair: async (plan, members, bookings, free) => (freed.push(free), runTask({ kind: 'repair', request: input, plan, free, members, bookings }, () => {})),
      save: async () => 1,
    });
    const z = outcome!.result;
    expect(freed).toEqual([[taken]]);
    expect(z.shifts[0]!.assistantIds).toEqual([['p1', 'p2'].find((m) => m !== taken)]);
    expect((await store().bookings('away')).map((b) => b.assistantId)).toEqual(z.shifts[0]!.assistantIds);
  }, 60_000);
});

describe('a re-plan keeping what another ordning has since made over a limit', () => {
  it('is booked: only clashes the standing version did not have are this job\'s to mend', async () => {
    const pool = new MemoryPool();
    const p1 = { id: 'p1', positionPercent: 0, skills: [], unavailable: [], preferences: [] };
    await pool.putMember('vikar', p1);
    const input = ScheduleRequestSchema.parse(ordning('ord-y', 'vikar', {
      needs: [{ id: 'day', dates: ['2027-01-04', '2027-01-05'], start: '08:00', end: '16:00' }],
      assistants: [{ id: 'ord-y-a1', positionPercent: 50, unavailable: [{ start: '2027-01-04T00:00', end: '2027-01-11T00:00' }] }],
    }));
    // Y's standing plan: p1 on Monday and Tuesday, booked when p1 had nothing else.
    const standing = await runTask({ kind: 'plan', request: input, members: [p1], bookings: [] }, () => {});
    expect(onShift(standing, 'p1')).toHaveLength(2);
    expect(await pool.book('vikar', 'sy', poolBookings(input, 'sy', standing))).toBe(true);
    // Then a tariff ordning (54 h weeks) books p1 Wednesday to Saturday: 48 h, over Y's 40 h.
    const tariff = ['2027-01-06', '2027-01-07', '2027-01-08', '2027-01-09'].map((d) => ({ assistantId: 'p1', ordningId: 'ord-t', scheduleId: 'st', shiftId: `day@${d}`, start: `${d}T08:00:00+01:00`, end: `${d}T16:00:00+01:00`, kind: 'active' as const, minDailyRestHours: 11, minWeeklyRestHours: 35 }));
    expect(await pool.book('vikar', 'st', tariff)).toBe(true);
    // A re-plan of Y that keeps Monday and Tuesday as they were (its sick leave lies elsewhere).
    const kept = { ...standing, version: 2 };
    const outcome = await bookOptimistically({
      pool, log: createLogger('silent'), input, scheduleId: 'sy', standing,
      solve: async () => kept,
      save: async () => 2,
    });
    expect(outcome?.version).toBe(2);
    expect((await pool.bookings('vikar')).filter((b) => b.scheduleId === 'sy')).toHaveLength(2);
  }, 60_000);
});
