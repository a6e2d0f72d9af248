import fc from 'fast-check';
import { expect, it } from 'vitest';
import { checkPlan, planSchedule, ruleParameters, ScheduleRequestSchema, type ScheduleRequestInput } from '../solver/index.ts';
import { buildModel } from '../solver/model/build.ts';
import { inGroupOrder } from '../solver/model/symmetry.ts';
import { setting } from '../solver/setting.ts';
import type { ExternalBooking } from '../solver/result.ts';
import { smallRequest } from './helpers/requests.ts';

const groupsOf = (input: ScheduleRequestInput, bookings: ExternalBooking[] = []) => {
  const set = setting(ScheduleRequestSchema.parse(input));
  const fixed = new Map(bookings.map((b) => [b.assistantId, [{ shiftId: `elsewhere:${b.shiftId}`, start: Date.parse(b.start), end: Date.parse(b.end), kind: b.kind }]]));
  return buildModel({ ...set, fixed, window: set.span, objective: { balance: true, targets: set.targets }, breakSymmetry: true }).symmetric;
};

it('groups only assistants the model cannot tell apart', () => {
  const alike = { positionPercent: 50, skills: ['lifting'] };
  const input = smallRequest({
    assistants: [
      { id: 'b', ...alike }, { id: 'a', ...alike }, { id: 'c', ...alike },
      { id: 'other-position', ...alike, positionPercent: 60 },
      { id: 'other-skills', positionPercent: 50 },
      { id: 'with-wish', ...alike, preferences: [{ days: ['mon'], weight: 2 }] },
      { id: 'away', ...alike, unavailable: [{ start: '2027-01-05T00:00', end: '2027-01-06T00:00' }] },
      { id: 'pinned', ...alike },
      { id: 'booked', ...alike },
    ],
    pinned: [{ needId: 'day', date: '2027-01-04', assistantId: 'pinned' }],
  });
  const booking: ExternalBooking = { assistantId: 'booked', ordningId: 'o2', scheduleId: 's2', shiftId: 'x', start: '2027-01-09T08:00:00+01:00', end: '2027-01-09T12:00:00+01:00', kind: 'active', minDailyRestHours: 11, minWeeklyRestHours: 35 };
  expect(groupsOf(input, [booking])).toEqual([['a', 'b', 'c']]);
  expect(groupsOf(smallRequest())).toEqual([]);
});

it('hands whole schedules round so hours fall in id order, and leaves everyone else alone', () => {
  const hours = (id: string) => (id.startsWith('long') ? 10 : 5);
  const plan = [
    { assistantId: 'a', shiftId: 'short1' },
    { assistantId: 'c', shiftId: 'long1' }, { assistantId: 'c', shiftId: 'long2' },
    { assistantId: 'b', shiftId: 'long3' },
    { assistantId: 'x', shiftId: 'short2' },
  ];
  expect(inGroupOrder([['a', 'b', 'c']], plan, hours)).toEqual([
    { assistantId: 'c', shiftId: 'short1' },
    { assistantId: 'a', shiftId: 'long1' }, { assistantId: 'a', shiftId: 'long2' },
    { assistantId: 'b', shiftId: 'long3' },
    { assistantId: 'x', shiftId: 'short2' },
  ]);
});

/** A team of `n` alike and `m` others, round the clock: every level's value must be the same with the order kept. */
const team = (n: number, m: number, weeks: number): ScheduleRequestInput =>
  smallRequest({
    period: { start: '2027-01-04', weeks },
    needs: [
      { id: 'day', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '07:00', end: '15:00' },
      { id: 'eve', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '15:00', end: '23:00', priority: 'important' },
      { id: 'night', days: ['fri', 'sat'], start: '23:00', end: '07:00', kind: 'passive', priority: 'optional' },
    ],
    assistants: [...Array.from({ length: n }, (_, i) => ({ id: `alike${i}`, positionPercent: 40 })), ...Array.from({ length: m }, (_, i) => ({ id: `other${i}`, positionPercent: 30 + 20 * i, preferences: [{ days: ['sat' as const], weight: -1 }] }))],
    solver: { timeLimitSeconds: 20, relativeGap: 0, engine: 'highs' },
  });

it('a proven plan is worth the same on every level with the order kept, and legal', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 0, max: 2 }), async (n, m) => {
      const request = ScheduleRequestSchema.parse(team(n, m, 1));
      const [free, ordered] = [await planSchedule(request, { breakSymmetry: false }), await planSchedule(request, { breakSymmetry: true })];
      expect(free.outcome).toBe('optimal');
      expect(ordered.outcome).toBe('optimal');
      expect(ordered.solver.levels.map((l) => [l.name, l.value])).toEqual(free.solver.levels.map((l) => [l.name, l.value]));
      expect(checkPlan({ request, params: ruleParameters(request.rules.profile, request.rules.overrides), shifts: ordered.shifts })).toEqual([]);
      const hours = (id: string) => ordered.shifts.reduce((t, s) => t + (s.assistantIds.includes(id) ? s.hours : 0), 0);
      for (let i = 0; i + 1 < n; i++) expect(hours(`alike${i}`)).toBeGreaterThanOrEqual(hours(`alike${i + 1}`) - 1e-9);
    }),
    { numRuns: 5 },
  );
}, 240_000);
