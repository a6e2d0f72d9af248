import { afterAll, describe, expect, it } from 'vitest';
import { ScheduleRequestSchema, shutdownEngines, withOrdningPreference, withPool, type Assistant, type ScheduleRequestInput } from '../solver/index.ts';
import { CLAIMED, likelyPicks, withClaims } from '../solver/pool-claims.ts';
import type { ExternalBooking, ScheduleResult } from '../solver/result.ts';
import { createLogger } from '../src/logger.ts';
import { runTask } from '../src/planner/task.ts';
import { bookOptimistically, OPTIMISTIC_TRIES } from '../src/pool/optimistic.ts';
import { poolStoreFor } from './helpers/pool-store.ts';

afterAll(() => shutdownEngines());

const member = (id: string): Assistant => ({ id, positionPercent: 0, skills: [], unavailable: [], preferences: [] });
const members = ['p1', 'p2', 'p3', 'p4'].map(member);

/** A week of day shifts Monday to Saturday (48 h); the team assistant at 50 % covers 18.75 h, the pool the rest. */
const request = (over: Partial<ScheduleRequestInput> = {}) =>
  ScheduleRequestSchema.parse({
    ordning: { id: 'ord-y', vedtak: { hoursPerWeek: 60, year: 2027 } },
    period: { start: '2027-01-04', weeks: 1 },
    needs: [{ id: 'day', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], start: '08:00', end: '16:00' }],
    assistants: [{ id: 'ord-y-a1', positionPercent: 50 }],
    pool: { id: 'vikar' },
    solver: { timeLimitSeconds: 5, relativeGap: 0.01, engine: 'highs' },
    ...over,
  });

const booking = (assistantId: string, day: string): ExternalBooking => ({ assistantId, ordningId: 'ord-x', scheduleId: 'sx', shiftId: `day@${day}`, start: `${day}T08:00:00+01:00`, end: `${day}T16:00:00+01:00`, kind: 'active', minDailyRestHours: 11, minWeeklyRestHours: 35 });

describe('the members a first plan will likely take', () => {
  const price = new Map([['p1', 5.1], ['p2', 5.2], ['p3', 5.3], ['p4', 5.4]]);

  it('are its cheapest, until their room covers three times the hours its team cannot', () => {
    // 48 h wanted, 18.75 h by the team: 29.25 h, so 87.75 h of room: p1, p2 and p3 (40 h each).
    expect(likelyPicks(request(), members, [], price, new Set())).toEqual(['p1', 'p2', 'p3']);
    expect(likelyPicks(request(), members, [], price, new Set(), 2)).toEqual(['p1', 'p2']);
  });

  it('leave out those claimed by others, and count only the room the snapshot leaves', () => {
    expect(likelyPicks(request(), members, [], price, new Set(['p1']))).toEqual(['p2', 'p3', 'p4']);
    // p2 has 40 h booked elsewhere this week: no room; p3 has 32 h: 8 h of room.
    const bookings = [...['2027-01-04', '2027-01-05', '2027-01-06', '2027-01-07', '2027-01-08'].map((d) => booking('p2', d)), ...['2027-01-04', '2027-01-05', '2027-01-06', '2027-01-07'].map((d) => booking('p3', d))];
    expect(likelyPicks(request(), members, bookings, price, new Set(['p1']))).toEqual(['p3', 'p4']);
  });

  it('are none when the team covers every hour', () => {
    expect(likelyPicks(request({ assistants: [{ id: 'a1', positionPercent: 100 }, { id: 'a2', positionPercent: 100 }] }), members, [], price, new Set())).toEqual([]);
  });

  it('cost more per hour once claimed, by CLAIMED, and others do not', () => {
    const out = withClaims(price, ['p2', 'nobody']);
    expect(out.get('p2')).toBeCloseTo(5.2 + CLAIMED);
    expect(out.get('p1')).toBe(5.1);
    expect(out.has('nobody')).toBe(false);
  });
});

describe.each(['memory', 'redis'] as const)('claims in the %s pool store', (kind) => {
  const store = poolStoreFor(kind, 'claims');

  it('are read back per schedule, withdrawn, and lapse after their time', async () => {
    await store().claim('a', 's1', ['p1', 'p2'], 60_000);
    await store().claim('a', 's2', ['p3'], 60);
    await store().claim('b', 's3', ['p4'], 60_000);
    expect(Object.fromEntries(await store().claims('a'))).toEqual({ s1: ['p1', 'p2'], s2: ['p3'] });
    await new Promise((r) => setTimeout(r, 120));
    expect(Object.fromEntries(await store().claims('a'))).toEqual({ s1: ['p1', 'p2'] });
    await store().unclaim('a', 's1');
    expect((await store().claims('a')).size).toBe(0);
    expect(Object.fromEntries(await store().claims('b'))).toEqual({ s3: ['p4'] });
  });

  it('a first plan claims while it solves, heeds the claims of others, and withdraws its own when booked', async () => {
    for (const m of members) await store().putMember('vikar', m);
    const input = request();
    // Without claims this ordning's own price order starts with `first`; another solve in flight claims it.
    const order = [...withOrdningPreference(input.ordning.id, withPool(input, members, []).options.hourCost!)].sort((a, b) => a[1] - b[1]).map(([id]) => id);
    const first = order[0]!;
    await store().claim('vikar', 'sx', [first], 60_000);
    const seen: { claimed: string[]; mine: string[] | undefined }[] = [];
    const outcome = await bookOptimistically({
      pool: store(), log: createLogger('silent'), input, scheduleId: 'sy', standing: null,
      solve: async (ms, bookings, claimed) => {
        seen.push({ claimed, mine: (await store().claims('vikar')).get('sy') });
        return runTask({ kind: 'plan', request: input, members: ms, bookings, claimed }, () => {});
      },
      save: async () => 1,
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.claimed).toEqual([first]);
    // Its own claim: its cheapest members but the one claimed already.
    expect(seen[0]!.mine).toEqual(order.slice(1, 4));
    const used = new Set(outcome!.result.shifts.flatMap((s) => s.assistantIds.filter((_, i) => s.sources[i] === 'pool')));
    expect(used.has(first)).toBe(false);
    expect(used.size).toBeGreaterThan(0);
    expect(outcome!.result.unfilled).toEqual([]);
    expect(outcome!.result.compliance.violations).toEqual([]);
    expect(Object.fromEntries(await store().claims('vikar'))).toEqual({ sx: [first] });
  }, 60_000);

  it('two first plans that start at once each see the claim of the other', async () => {
    for (const m of members) await store().putMember('duo', m);
    const input = request({ pool: { id: 'duo' } });
    const claims: string[][] = [];
    let started = 0;
    let bothStarted!: () => void;
    const together = new Promise<void>((r) => (bothStarted = r));
    const job = (scheduleId: string, ordningId: string) =>
      bookOptimistically({
        pool: store(), log: createLogger('silent'), input: { ...input, ordning: { ...input.ordning, id: ordningId } }, scheduleId, standing: null,
        // Each solve waits for the other to start: both claims stand while both solve.
        solve: async () => {
          claims.push((await store().claims('duo')).get(scheduleId)!);
          if (++started === 2) bothStarted();
          await together;
          return runTask({ kind: 'plan', request: input, members: [], bookings: [] }, () => {});
        },
        save: async () => 1,
      });
    await Promise.all([job('s-a', 'ord-a'), job('s-b', 'ord-b')]);
    expect(claims).toHaveLength(2);
    expect(claims.every((c) => c.length > 0)).toBe(true);
    expect(claims[0]!.filter((m) => claims[1]!.includes(m))).toEqual([]);
  }, 60_000);

  it('a first plan starts solving while the pool\'s lock is held (a check-and-book, or a solve under it after clashes), and books once it is free', async () => {
    for (const m of members) await store().putMember('held', m);
    const input = request({ pool: { id: 'held' } });
    let release!: () => void;
    const lockHeld = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const holding = new Promise<void>((r) => (entered = r));
    const holder = store().exclusive('held', async () => (entered(), lockHeld));
    await holding;
    let solving!: () => void;
    const solveStarted = new Promise<'solving'>((r) => (solving = () => r('solving')));
    const job = bookOptimistically({
      pool: store(), log: createLogger('silent'), input, scheduleId: 's-held', standing: null,
      solve: async (ms, bookings, claimed) => (solving(), runTask({ kind: 'plan', request: input, members: ms, bookings, claimed }, () => {})),
      save: async () => 1,
    });
    // Had the claim waited for the pool's lock, the solve would not start until it is released.
    expect(await Promise.race([solveStarted, new Promise((r) => setTimeout(() => r('waiting'), 10_000))])).toBe('solving');
    expect((await store().bookings('held')).length).toBe(0);
    release();
    await holder;
    expect((await job)!.result.unfilled).toEqual([]);
    expect((await store().bookings('held')).length).toBeGreaterThan(0);
  }, 60_000);

  it('a plan that clashes at every optimistic check has its last clash mended under the pool\'s lock, once, and is booked', async () => {
    for (const m of members) await store().putMember('hot', m);
    const input = request({ pool: { id: 'hot' } });
    // Whether the pool's lock is held now: a free lock is taken and let go at once.
    const waits: Promise<unknown>[] = [];
    const lockHeld = () => {
      const free = store().exclusive('hot', async () => false);
      waits.push(free);
      return Promise.race([free, new Promise<boolean>((r) => setTimeout(() => r(true), 300))]);
    };
    // Another ordning books, while each plan solved outside the lock is on its way to booking, a shift of that plan's first pool member.
    const elsewhere: ExternalBooking[] = [];
    const calls: string[] = [];
    const traced = async (kind: string, plan: Promise<ScheduleResult>) => {
      const locked = await lockHeld();
      calls.push(locked ? `${kind} under the lock` : kind);
      const result = await plan;
      const taken = result.shifts.find((s) => s.sources.includes('pool'));
      if (!locked && taken) {
        elsewhere.push(booking(taken.assistantIds[taken.sources.indexOf('pool')]!, taken.start.slice(0, 10)));
        expect(await store().book('hot', 'sx', elsewhere)).toBe(true);
      }
      return result;
    };
    const outcome = await bookOptimistically({
      pool: store(), log: createLogger('silent'), input, scheduleId: 's-hot', standing: null,
      solve: (ms, bookings, claimed) => traced('plan', runTask({ kind: 'plan', request: input, members: ms, bookings, claimed }, () => {})),
      repair: (plan, ms, bookings, free, claimed) => traced('repair', runTask({ kind: 'repair', request: input, plan, members: ms, bookings, free, claimed }, () => {})),
      save: async () => 1,
    });
    await Promise.all(waits);
    // Before, the third clash was mended outside the lock and that mend thrown away for a whole solve under it.
    expect(calls).toEqual(['plan', ...Array(OPTIMISTIC_TRIES - 1).fill('repair'), 'repair under the lock']);
    expect(outcome!.result.unfilled).toEqual([]);
    const mine = (await store().bookings('hot')).filter((b) => b.scheduleId === 's-hot');
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.filter((b) => elsewhere.some((e) => e.assistantId === b.assistantId && Date.parse(e.start) === Date.parse(b.start)))).toEqual([]);
  }, 60_000);

  it('a member removed from the pool while a first plan solves is not booked: their shifts are planned again without them', async () => {
    for (const m of members) await store().putMember('leaving', m);
    const input = request({ pool: { id: 'leaving' } });
    let removed: string | undefined;
    const outcome = await bookOptimistically({
      pool: store(), log: createLogger('silent'), input, scheduleId: 'sz', standing: null,
      solve: async (ms, bookings, claimed) => {
        const plan = await runTask({ kind: 'plan', request: input, members: ms, bookings, claimed }, () => {});
        // The first solve's busiest pool member leaves meanwhile (no plan had booked them yet).
        if (!removed) {
          removed = plan.shifts.flatMap((s) => s.assistantIds.filter((_, i) => s.sources[i] === 'pool'))[0];
          expect(await store().removeMember('leaving', removed!)).toBe(true);
        }
        return plan;
      },
      repair: async (plan, ms, bookings, free, claimed) => runTask({ kind: 'repair', request: input, plan, members: ms, bookings, free, claimed }, () => {}),
      save: async () => 1,
    });
    expect(removed).toBeDefined();
    const used = new Set(outcome!.result.shifts.flatMap((s) => s.assistantIds.filter((_, i) => s.sources[i] === 'pool')));
    expect(used.has(removed!)).toBe(false);
    expect(used.size).toBeGreaterThan(0);
    expect(outcome!.result.unfilled).toEqual([]);
    expect((await store().bookings('leaving')).some((b) => b.assistantId === removed)).toBe(false);
  }, 60_000);
});
