import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { checkPlan, planSchedule, ruleParameters, ScheduleRequestSchema, shutdownEngines, withPool, type ScheduleRequestInput } from '../solver/index.ts';
import type { ExternalBooking, PlannedShift } from '../solver/result.ts';
import { MemoryPool } from '../src/pool/memory.ts';
import { RedisPool } from '../src/pool/redis.ts';
import type { PoolStore } from '../src/ports.ts';
import { startRedis, type PrivateRedis } from './helpers/redis.ts';
import { getJson, postJson, startService, waitForSchedule } from './helpers/service.ts';

afterAll(() => shutdownEngines());

/**
 * Ordning B plans with the tariff's 8 h daily rest (and 28 h weekly rest); its pool member p1 has a
 * shift in ordning A, which planned with the law's 11 h (and 35 h). Rest protects the person: next to
 * A's booking p1 gets the stricter of the two, whatever B's own override says.
 */
const p1 = { id: 'p1', positionPercent: 0, skills: [], unavailable: [], preferences: [] };
const booking = (start: string, end: string, rest: Partial<ExternalBooking> = { minDailyRestHours: 11, minWeeklyRestHours: 35 }): ExternalBooking => ({
  assistantId: 'p1', ordningId: 'ord-a', scheduleId: 'sa', shiftId: `a@${start.slice(0, 10)}`, start, end, kind: 'active', ...rest,
});
/** A's evening shift: 16:00-22:00 on Tuesday. B's early shift the next day starts 8 h after it. */
const evening = (rest?: Partial<ExternalBooking>) => booking('2027-01-05T16:00:00+01:00', '2027-01-05T22:00:00+01:00', rest);

function ordningB(needs: ScheduleRequestInput['needs'], overrides = { minDailyRestHours: 8, minWeeklyRestHours: 28 }) {
  return ScheduleRequestSchema.parse({
    ordning: { id: 'ord-b', vedtak: { hoursPerWeek: 40, year: 2027 } },
    period: { start: '2027-01-04', weeks: 1 },
    rules: { profile: 'bpa-tariff', overrides },
    needs,
    // B's own assistant is away all week: only the pool can cover.
    assistants: [{ id: 'b1', positionPercent: 50, unavailable: [{ start: '2027-01-04T00:00', end: '2027-01-11T00:00' }] }],
    solver: { timeLimitSeconds: 10, relativeGap: 0, engine: 'highs' },
  });
}
const early = [{ id: 'early', dates: ['2027-01-06'], start: '06:00', end: '12:00' }];

async function planWithPool(needs: ScheduleRequestInput['needs'], bookings: ExternalBooking[]) {
  const { request, options } = withPool(ordningB(needs), [p1], bookings);
  return planSchedule(request, options);
}

describe('rest next to work in another ordning: the solver', () => {
  it('gives p1 the 11 h rest A planned with, not B\'s 8 h override', async () => {
    const result = await planWithPool(early, [evening()]);
    expect(result.compliance.parameters.minDailyRestHours).toBe(8);
    expect(result.shifts[0]!.assistantIds).toEqual([]);
    expect(result.compliance.violations).toEqual([]);
    expect(result.unfilled[0]!.reason).toMatch(/daily-rest.*11 h required/);
  });

  it('holds the law\'s 11 h next to a booking that does not say what it planned with', async () => {
    const result = await planWithPool(early, [evening({})]);
    expect(result.shifts[0]!.assistantIds).toEqual([]);
    expect(result.compliance.violations).toEqual([]);
  });

  it('lets p1 take the early shift when both ordninger planned with 8 h', async () => {
    const result = await planWithPool(early, [evening({ minDailyRestHours: 8, minWeeklyRestHours: 28 })]);
    expect(result.shifts[0]!.assistantIds).toEqual(['p1']);
    expect(result.compliance.violations).toEqual([]);
  });

  it('gives p1 the 35 h weekly rest A planned with, not B\'s 28 h override', async () => {
    // A: 10:00-14:00 Monday to Friday. B: Saturday 20:00 to midnight, leaving 30 h free at most.
    const week = ['04', '05', '06', '07', '08'].map((d) => booking(`2027-01-${d}T10:00:00+01:00`, `2027-01-${d}T14:00:00+01:00`));
    const late = [{ id: 'late', dates: ['2027-01-09'], start: '20:00', end: '00:00' }];
    const strict = await planWithPool(late, week);
    expect(strict.shifts[0]!.assistantIds).toEqual([]);
    expect(strict.compliance.violations).toEqual([]);
    expect(strict.unfilled[0]!.reason).toMatch(/weekly-rest.*35 h required/);
    const relaxed = await planWithPool(late, week.map((b) => ({ ...b, minWeeklyRestHours: 28 })));
    expect(relaxed.shifts[0]!.assistantIds).toEqual(['p1']);
    expect(relaxed.compliance.violations).toEqual([]);
  });

  it('the checker names the stricter rest when a plan breaks it', () => {
    const request = ordningB(early);
    const shift: PlannedShift = { id: 'early@2027-01-06', needId: 'early', start: '2027-01-06T06:00:00+01:00', end: '2027-01-06T12:00:00+01:00', hours: 6, kind: 'active', assistantIds: ['p1'], sources: ['pool'] };
    const params = ruleParameters('bpa-tariff', { minDailyRestHours: 8 });
    const { request: withP1 } = withPool(request, [p1], []);
    const violations = checkPlan({ request: withP1, params, shifts: [shift], externalBookings: [evening()] });
    expect(violations.map((v) => [v.rule, v.detail])).toEqual([['daily-rest', '8 h rest between ord-a/a@2027-01-05 and early@2027-01-06, 11 h required']]);
  });
});

/**
 * Hour limits too: A planned with 30 h a week (aml, overridden) and booked p1 Monday and Tuesday, 16 h.
 * B plans with the law's 40 h and needs Thursday to Saturday from the pool. A's own check counts
 * B's shifts in the weeks that hold its own, so B keeps A's 30 h in those: one more day for p1, not three.
 */
describe('hour limits next to work in another ordning', () => {
  const days = ['2027-01-04', '2027-01-05'];
  const inA = (limits: Partial<ExternalBooking>) => days.map((d) => booking(`${d}T08:00:00+01:00`, `${d}T16:00:00+01:00`, { minDailyRestHours: 11, minWeeklyRestHours: 35, ...limits }));
  const ordning = (id: string, dates: string[], overrides = {}) => ScheduleRequestSchema.parse({
    ordning: { id, vedtak: { hoursPerWeek: 60, year: 2027 } },
    period: { start: '2027-01-04', weeks: 1 },
    rules: { profile: 'aml', overrides },
    needs: [{ id: 'day', dates, start: '08:00', end: '16:00' }],
    assistants: [{ id: `${id}-t1`, positionPercent: 50, unavailable: [{ start: '2027-01-04T00:00', end: '2027-01-11T00:00' }] }],
    solver: { timeLimitSeconds: 10, relativeGap: 0, engine: 'highs' },
  });
  const b = ordning('ord-b', ['2027-01-07', '2027-01-08', '2027-01-09']);
  const planB = (bookings: ExternalBooking[]) => {
    const { request, options } = withPool(b, [p1], bookings);
    return planSchedule(request, options);
  };
  /** A's plan checked with B's pool shifts as work elsewhere, as A's next re-plan checks it. */
  const checkA = (bShifts: PlannedShift[]) => {
    const a = ordning('ord-a', days, { maxHoursPerWeek: 30 });
    const { request } = withPool(a, [p1], []);
    const shifts: PlannedShift[] = inA({}).map((x) => ({ id: x.shiftId, needId: 'day', start: x.start, end: x.end, hours: 8, kind: 'active', assistantIds: ['p1'], sources: ['pool'] }));
    const elsewhere = bShifts.filter((s) => s.assistantIds.includes('p1')).map((s) => ({ ...booking(s.start, s.end, { minDailyRestHours: 11, minWeeklyRestHours: 35, maxHoursPerDay: 9, maxHoursPerWeek: 40, maxHoursPerWeekWithNight: 38 }), ordningId: 'ord-b', shiftId: s.id }));
    return checkPlan({ request, params: ruleParameters('aml', { maxHoursPerWeek: 30 }), shifts, externalBookings: elsewhere });
  };

  it('B gives p1 one day beside A\'s 16 h, within A\'s 30 h, and A\'s check finds nothing', async () => {
    const result = await planB(inA({ maxHoursPerDay: 9, maxHoursPerWeek: 30, maxHoursPerWeekWithNight: 30 }));
    expect(result.shifts.filter((s) => s.assistantIds.includes('p1'))).toHaveLength(1);
    expect(result.unfilled).toHaveLength(2);
    expect(result.compliance.violations).toEqual([]);
    expect(checkA(result.shifts)).toEqual([]);
  });

  it('a booking that does not say leaves B its own 40 h; A\'s check then finds its 30 h passed', async () => {
    const result = await planB(inA({}));
    expect(result.shifts.filter((s) => s.assistantIds.includes('p1'))).toHaveLength(3);
    expect(checkA(result.shifts).map((v) => `${v.rule} ${v.detail}`)).toEqual(['max-hours-per-week 40 h within 168 h, limit 30 h']);
  });

  it('B\'s checker names A\'s limit where a plan passes it', () => {
    const threeDays = b.needs[0]!.dates!.map((d) => ({ id: `day@${d}`, needId: 'day', start: `${d}T08:00:00+01:00`, end: `${d}T16:00:00+01:00`, hours: 8, kind: 'active' as const, assistantIds: ['p1'], sources: ['pool' as const] }));
    const { request } = withPool(b, [p1], []);
    const violations = checkPlan({ request, params: ruleParameters('aml', {}), shifts: threeDays, externalBookings: inA({ maxHoursPerWeek: 30 }) });
    expect(violations.map((v) => `${v.rule} ${v.detail}`)).toEqual(['max-hours-per-week 40 h within 168 h, limit 30 h']);
  });
});

describe.each(['memory', 'redis'])('rest next to work in another ordning: the pool store (%s)', (kind) => {
  let redis: PrivateRedis | undefined;
  let client: Redis | undefined;
  let pool: PoolStore;
  beforeAll(async () => {
    if (kind === 'redis') {
      redis = await startRedis();
      client = new Redis(redis.url);
    }
  });
  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
  });
  const fresh = (prefix: string): PoolStore => (client ? new RedisPool(client, prefix) : new MemoryPool());
  const morning = (start: string, rest: Partial<ExternalBooking>) => ({ ...booking(start, '2027-01-06T12:00:00+01:00', rest), ordningId: 'ord-b', scheduleId: 'sb', shiftId: 'early@2027-01-06' });

  it('refuses B\'s booking 8 h after A\'s, whichever was booked first, and takes it 11 h after', async () => {
    pool = fresh('a-first');
    expect(await pool.book('v', 'sa', [evening()])).toBe(true);
    expect(await pool.book('v', 'sb', [morning('2027-01-06T06:00:00+01:00', { minDailyRestHours: 8 })])).toBe(false);
    expect(await pool.book('v', 'sb', [morning('2027-01-06T09:00:00+01:00', { minDailyRestHours: 8 })])).toBe(true);

    pool = fresh('b-first');
    expect(await pool.book('v', 'sb', [morning('2027-01-06T06:00:00+01:00', { minDailyRestHours: 8 })])).toBe(true);
    expect(await pool.book('v', 'sa', [evening()])).toBe(false);
  });

  it('holds the law\'s 11 h for bookings that do not say, and 8 h when both ordninger planned with 8 h', async () => {
    pool = fresh('unsaid');
    expect(await pool.book('v', 'sa', [evening({})])).toBe(true);
    expect(await pool.book('v', 'sb', [morning('2027-01-06T06:00:00+01:00', { minDailyRestHours: 8 })])).toBe(false);
    pool = fresh('both-8');
    expect(await pool.book('v', 'sa', [evening({ minDailyRestHours: 8 })])).toBe(true);
    expect(await pool.book('v', 'sb', [morning('2027-01-06T06:00:00+01:00', { minDailyRestHours: 8 })])).toBe(true);
    expect((await pool.bookings('v')).map((b) => b.minDailyRestHours)).toEqual([8, 8]);
  });
});

describe('rest next to work in another ordning: through the API', () => {
  it('B\'s 8 h override leaves p1 unbooked after A\'s evening, names the override, and 0 h is refused outright', async () => {
    const service = await startService({});
    try {
      const base = service.url;
      const put = await fetch(`${base}/pools/rest/assistants/p1`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ positionPercent: 0 }) });
      expect(put.status).toBe(201);
      const away = [{ start: '2027-01-04T00:00', end: '2027-01-11T00:00' }];
      const common = { period: { start: '2027-01-04', weeks: 1 }, pool: { id: 'rest' }, solver: { timeLimitSeconds: 5, relativeGap: 0, engine: 'highs' } };
      const a = await postJson(`${base}/schedules`, {
        ...common, ordning: { id: 'ord-a', vedtak: { hoursPerWeek: 40, year: 2027 } },
        needs: [{ id: 'eve', dates: ['2027-01-05'], start: '16:00', end: '22:00' }], assistants: [{ id: 'a1', positionPercent: 50, unavailable: away }],
      });
      const doneA = await waitForSchedule(base, a.body.id);
      expect(doneA.result.shifts[0].assistantIds).toEqual(['p1']);
      expect(doneA.result.compliance.overrides).toEqual([]);

      const bBody = {
        ...common, ordning: { id: 'ord-b', vedtak: { hoursPerWeek: 40, year: 2027 } }, rules: { profile: 'bpa-tariff', overrides: { minDailyRestHours: 8 } },
        needs: early, assistants: [{ id: 'b1', positionPercent: 50, unavailable: away }],
      };
      const doneB = await waitForSchedule(base, (await postJson(`${base}/schedules`, bBody)).body.id);
      expect(doneB.result.shifts[0].assistantIds).toEqual([]);
      expect(doneB.result.compliance.violations).toEqual([]);
      expect(doneB.result.compliance.overrides).toEqual([{ parameter: 'minDailyRestHours', value: 8, profileValue: 11 }]);
      const booked = (await getJson(`${base}/pools/rest`)).body.members[0].bookings;
      expect(booked.map((b: any) => [b.shiftId, b.minDailyRestHours, b.minWeeklyRestHours])).toEqual([['eve@2027-01-05', 11, 35]]);

      const zero = await postJson(`${base}/schedules`, { ...bBody, rules: { profile: 'aml', overrides: { minDailyRestHours: 0 } } });
      expect(zero.status).toBe(400);
      expect(zero.body.error.details.map((d: any) => d.path)).toEqual(['rules.overrides.minDailyRestHours']);
    } finally {
      await service.stop();
    }
  });
});

/** A pool of one member, p1, through the API. */
async function poolOfP1(base: string, poolId: string) {
  expect((await fetch(`${base}/pools/${poolId}/assistants/p1`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ positionPercent: 0 }) })).status).toBe(201);
}

/** A's team member (away) is reported sick: A re-plans, keeping p1, and finds no rule broken. */
async function replansClean(base: string, a: string) {
  expect((await postJson(`${base}/schedules/${a}/sick-leave`, { assistantId: 'ord-a-t2', from: '2027-01-04T00:00', to: '2027-01-05T00:00' })).status).toBe(202);
  const again = await waitForSchedule(base, a);
  expect(again.result.version).toBe(2);
  expect(again.result.compliance.violations).toEqual([]);
}

describe('hour limits next to work in another ordning: through the API', () => {
  it('A\'s re-plan after B booked p1 finds no rule broken: B kept A\'s 30 h in A\'s week', async () => {
    const service = await startService({});
    try {
      const base = service.url;
      await poolOfP1(base, 'hours');
      const away = [{ start: '2027-01-04T00:00', end: '2027-01-11T00:00' }];
      const body = (id: string, dates: string[], rules: object) => ({
        ordning: { id, vedtak: { hoursPerWeek: 60, year: 2027 } }, period: { start: '2027-01-04', weeks: 1 }, rules, pool: { id: 'hours' },
        needs: [{ id: 'day', dates, start: '08:00', end: '16:00' }], assistants: [{ id: `${id}-t1`, positionPercent: 50 }, { id: `${id}-t2`, positionPercent: 50, unavailable: away }],
        solver: { timeLimitSeconds: 5, relativeGap: 0, engine: 'highs' },
      });
      const aBody = { ...body('ord-a', ['2027-01-04', '2027-01-05'], { profile: 'aml', overrides: { maxHoursPerWeek: 30 } }) };
      aBody.assistants[0]!.unavailable = away;
      const a = (await postJson(`${base}/schedules`, aBody)).body.id;
      expect((await waitForSchedule(base, a)).result.shifts.map((s: any) => s.assistantIds)).toEqual([['p1'], ['p1']]);
      const bBody = body('ord-b', ['2027-01-07', '2027-01-08', '2027-01-09'], { profile: 'aml' });
      bBody.assistants[0]!.unavailable = away;
      const doneB = await waitForSchedule(base, (await postJson(`${base}/schedules`, bBody)).body.id);
      expect(doneB.result.shifts.filter((s: any) => s.assistantIds.includes('p1'))).toHaveLength(1);
      const booked = (await getJson(`${base}/pools/hours`)).body.members[0].bookings;
      expect(booked.filter((b: any) => b.ordningId === 'ord-a').map((b: any) => b.maxHoursPerWeek)).toEqual([30, 30]);
      await replansClean(base, a);
    } finally {
      await service.stop();
    }
  });
});

describe('limits averaged over weeks next to work in another ordning: through the API', () => {
  it('B leaves p1 off a shift that would take them past A\'s agreed average, and A\'s re-plan finds no rule broken', async () => {
    const service = await startService({});
    try {
      const base = service.url;
      await poolOfP1(base, 'avg');
      const body = (id: string, weeks: number, dates: string[], rules: object) => {
        // The team is away the whole period: only the pool can cover.
        const away = [{ start: '2027-01-04T00:00', end: '2027-01-18T00:00' }];
        return {
          ordning: { id, vedtak: { hoursPerWeek: 60, year: 2027 } }, period: { start: '2027-01-04', weeks }, rules, pool: { id: 'avg' },
          needs: [{ id: 'day', dates, start: '08:00', end: '16:00' }], assistants: [{ id: `${id}-t1`, positionPercent: 50, unavailable: away }, { id: `${id}-t2`, positionPercent: 50, unavailable: away }],
          solver: { timeLimitSeconds: 5, relativeGap: 0, engine: 'highs' },
        };
      };
      // A: two weeks under the averaging profile, agreed down to 30 h a week on average (60 h); p1 gets 56 h.
      const aDays = ['2027-01-04', '2027-01-05', '2027-01-07', '2027-01-11', '2027-01-12', '2027-01-13', '2027-01-14'];
      const a = (await postJson(`${base}/schedules`, body('ord-a', 2, aDays, { profile: 'aml-average', overrides: { averageWeeklyHours: 30 } }))).body.id;
      expect((await waitForSchedule(base, a)).result.shifts.map((s: any) => s.assistantIds)).toEqual(aDays.map(() => ['p1']));
      const booked = (await getJson(`${base}/pools/avg`)).body.members[0].bookings;
      expect(booked[0].bookedBy).toEqual({ timezone: 'Europe/Oslo', period: { start: '2027-01-04', weeks: 2 }, rules: { profile: 'aml-average', overrides: { averageWeeklyHours: 30 } } });
      // B (the law's profile, no average) would allow Wednesday: 32 h in that week. A's average would not.
      const doneB = await waitForSchedule(base, (await postJson(`${base}/schedules`, body('ord-b', 1, ['2027-01-06'], { profile: 'aml' }))).body.id);
      expect(doneB.status).toBe('completed');
      expect(doneB.result.shifts.map((s: any) => s.assistantIds)).toEqual([[]]);
      // p1 was kept off the shift the solver could not judge: nothing is claimed proven, and the open place says why.
      expect(doneB.result.outcome).toBe('feasible');
      expect(doneB.result.unfilled[0].facts.mended).toBe(true);
      expect(doneB.result.unfilled[0].reason).toMatch(/^not proven: the plan was mended after a clash in the shared pool; /);
      await replansClean(base, a);
    } finally {
      await service.stop();
    }
  });
});

describe('a re-plan kept off a shift by another ordning\'s average: through the API', () => {
  it('keeps what the standing version gave the member, and reads no false unavailability into it', async () => {
    const service = await startService({});
    try {
      const base = service.url;
      await poolOfP1(base, 'bar');
      const body = (id: string, dates: string[], rules: object, assistants: object[]) => ({
        ordning: { id, vedtak: { hoursPerWeek: 60, year: 2027 } }, period: { start: '2027-01-04', weeks: 1 }, rules, pool: { id: 'bar' },
        needs: [{ id: 'day', dates, start: '08:00', end: '16:00' }], assistants, solver: { timeLimitSeconds: 3, relativeGap: 0, engine: 'highs' },
      });
      const week = { start: '2027-01-04T00:00', end: '2027-01-11T00:00' };
      // X agreed 16 h a week on average and books p1 for Monday.
      await waitForSchedule(base, (await postJson(`${base}/schedules`, body('ord-x', ['2027-01-04'], { profile: 'aml-average', overrides: { averageWeeklyHours: 16, averagingWeeks: 1 } }, [{ id: 'x-t1', positionPercent: 50, unavailable: [week] }]))).body.id);
      // A: its t1 can work Wednesday only, so p1 gets Tuesday (16 h in X's week, X's limit).
      const a = (await postJson(`${base}/schedules`, body('ord-a', ['2027-01-05', '2027-01-06'], { profile: 'aml' }, [
        { id: 'a-t1', positionPercent: 50, unavailable: [{ start: '2027-01-04T00:00', end: '2027-01-06T00:00' }, { start: '2027-01-07T00:00', end: '2027-01-11T00:00' }] },
        { id: 'a-t2', positionPercent: 50, unavailable: [week] },
      ]))).body.id;
      expect((await waitForSchedule(base, a)).result.shifts.map((s: any) => s.assistantIds)).toEqual([['p1'], ['a-t1']]);
      // t1 falls sick on Wednesday: p1 there would be 24 h in X's week. p1 is kept off Wednesday, not off Tuesday.
      expect((await postJson(`${base}/schedules/${a}/sick-leave`, { assistantId: 'a-t1', from: '2027-01-06T00:00', to: '2027-01-07T00:00' })).status).toBe(202);
      const again = await waitForSchedule(base, a);
      expect(again.result.version).toBe(2);
      expect(again.result.shifts.map((s: any) => s.assistantIds)).toEqual([['p1'], []]);
      expect(again.result.compliance.violations).toEqual([]);
      expect(again.result.unfilled[0].facts.mended).toBe(true);
    } finally {
      await service.stop();
    }
  });
});
