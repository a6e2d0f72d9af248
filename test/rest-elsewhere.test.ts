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
