import fc from 'fast-check';
import { expect, it } from 'vitest';
import { checkPlan, poolClashes, poolShiftBookings, ruleParameters, ScheduleRequestSchema } from '../solver/index.ts';
import { PERSON_TIME_RULES } from '../solver/pool-check.ts';
import type { ExternalBooking, PlannedShift } from '../solver/result.ts';

/**
 * The promise behind optimistic pool bookings (solver/pool-check.ts): a plan whose pool shifts pass
 * the check may be booked beside the pool's bookings, and then no member's work, summed over both,
 * breaks a rule about their time that neither side broke alone. Random work on both sides for two
 * members over two weeks: days, evenings, Saturday evenings (Sunday periods) and nights.
 */
const request = ScheduleRequestSchema.parse({
  ordning: { id: 'here', vedtak: { hoursPerWeek: 80, year: 2027 } },
  period: { start: '2027-01-04', weeks: 2 },
  rules: { profile: 'aml' },
  needs: [{ id: 'day', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '08:00', end: '16:00' }],
  assistants: [{ id: 'a1', positionPercent: 50 }],
  solver: { timeLimitSeconds: 5, relativeGap: 0, engine: 'highs' },
});
const params = ruleParameters('aml', {});
const MEMBERS = ['p1', 'p2'];
const members = MEMBERS.map((id) => ({ id, positionPercent: 0, skills: [], unavailable: [], preferences: [] }));
const withMembers = { ...request, assistants: [...request.assistants, ...members] };

/** Shift times (local, +01:00 in January): the next day's end when it is before the start. */
const TIMES = [['07:00', '15:00'], ['08:00', '16:00'], ['14:00', '22:00'], ['16:00', '22:00'], ['22:00', '07:00'], ['09:00', '13:00']] as const;
interface Work { member: number; day: number; time: number }
const memberArb = fc.integer({ min: 0, max: MEMBERS.length - 1 });
const shiftArb = fc.record({ member: memberArb, day: fc.integer({ min: 0, max: 13 }), time: fc.integer({ min: 0, max: TIMES.length - 1 }) });
/** Full weeks (Monday to Friday, 08:00-16:00: the 40 h a week may hold) and single shifts. */
const workArb = fc
  .tuple(fc.array(fc.record({ member: memberArb, week: fc.integer({ min: 0, max: 1 }) }), { maxLength: 2 }), fc.array(shiftArb, { maxLength: 10 }))
  .map(([weeks, shifts]): Work[] => [...weeks.flatMap(({ member, week }) => [0, 1, 2, 3, 4].map((d) => ({ member, day: 7 * week + d, time: 1 }))), ...shifts]);

const iso = (day: number, clock: string) => `2027-01-${String(4 + day).padStart(2, '0')}T${clock}:00+01:00`;
const span = ({ day, time }: Work) => {
  const [from, to] = TIMES[time]!;
  return { start: iso(day, from), end: iso(to < from ? day + 1 : day, to), hours: ((Number(to.slice(0, 2)) - Number(from.slice(0, 2)) + 24) % 24) };
};
const here = (work: Work[]): PlannedShift[] =>
  work.map((w, i) => ({ id: `h${i}@${w.day}`, needId: 'day', ...span(w), kind: 'active', assistantIds: [MEMBERS[w.member]!], sources: ['pool'] }));
const elsewhere = (work: Work[]): ExternalBooking[] =>
  work.map((w, i) => { const { start, end } = span(w); return { assistantId: MEMBERS[w.member]!, ordningId: 'there', scheduleId: 'st', shiftId: `e${i}`, start, end, kind: 'active' }; });
/** Bookings read as planned work of one plan, as the union of both sides is checked. */
const asShifts = (bookings: ExternalBooking[]): PlannedShift[] =>
  bookings.map((b) => ({ id: `${b.ordningId}-${b.shiftId}`, needId: 'day', start: b.start, end: b.end, hours: (Date.parse(b.end) - Date.parse(b.start)) / 3_600_000, kind: b.kind, assistantIds: [b.assistantId], sources: ['pool'] }));
const personal = (shifts: PlannedShift[]) => checkPlan({ request: withMembers, params, shifts }).filter((v) => PERSON_TIME_RULES.has(v.rule) && MEMBERS.includes(v.assistantId));

it('a plan that passes the pool check, booked beside the pool, breaks no rule of a member\'s time that neither side broke alone', () => {
  let booked = 0;
  fc.assert(
    fc.property(workArb, workArb, (mine, theirs) => {
      const shifts = here(mine);
      const bookings = elsewhere(theirs);
      fc.pre(personal(shifts).length === 0 && personal(asShifts(bookings)).length === 0);
      if (poolClashes({ request, members, shifts, bookings }).length > 0) return;
      booked++;
      expect(personal([...shifts, ...asShifts(bookings)]).map((v) => `${v.rule} ${v.assistantId} ${v.detail}`)).toEqual([]);
    }),
    { numRuns: 500 },
  );
  // The property is only as strong as the bookings it saw go through.
  expect(booked).toBeGreaterThan(50);
}, 120_000);

/**
 * The other side plans by rules of its own (another profile, an average agreed down, a night limit
 * of its own) over a period of its own (its weeks and Sunday periods need not be this plan's): a
 * plan here that passes the check leaves that ordning's own check of the member's work, by its rules
 * and over its period, with nothing it did not find before.
 */
const theirPeriodArb = fc.record({ start: fc.constantFrom('2026-12-28', '2027-01-04', '2027-01-11'), weeks: fc.integer({ min: 1, max: 3 }) });
const theirRulesArb = fc.record({
  profile: fc.constantFrom('aml' as const, 'aml-average' as const, 'bpa-tariff' as const),
  overrides: fc.record({ averageWeeklyHours: fc.integer({ min: 16, max: 48 }), maxHoursPerDayWithNight: fc.integer({ min: 6, max: 8 }) }, { requiredKeys: [] }),
});

it('a plan that passes the pool check leaves the other ordning\'s own check, by its own rules, with nothing new', () => {
  let booked = 0;
  fc.assert(
    fc.property(workArb, workArb, theirRulesArb, theirPeriodArb, (mine, theirWork, rules, period) => {
      const shifts = here(mine);
      const their = { ...withMembers, ordning: { ...withMembers.ordning, id: 'there' }, period, rules };
      const theirParams = ruleParameters(rules.profile, rules.overrides);
      const { minDailyRestHours, minWeeklyRestHours, maxHoursPerDay, maxHoursPerWeek, maxHoursPerWeekWithNight } = theirParams;
      const bookedBy = { timezone: 'Europe/Oslo', period, rules };
      const from = (Date.parse(period.start) - Date.parse('2027-01-04')) / 86_400_000;
      // Their bookings lie in their period, as a plan's do.
      const bookings = elsewhere(theirWork.filter((w) => w.day >= from && w.day < from + 7 * period.weeks)).map((b) => ({ ...b, minDailyRestHours, minWeeklyRestHours, maxHoursPerDay, maxHoursPerWeek, maxHoursPerWeekWithNight, bookedBy }));
      const theirShifts = bookings.map((b) => ({ ...asShifts([b])[0]!, id: b.shiftId }));
      const theirCheck = (external: ExternalBooking[]) =>
        checkPlan({ request: their, params: theirParams, shifts: theirShifts, externalBookings: external }).filter((v) => PERSON_TIME_RULES.has(v.rule) && MEMBERS.includes(v.assistantId));
      fc.pre(personal(shifts).length === 0 && theirCheck([]).length === 0);
      if (poolClashes({ request, members, shifts, bookings }).length > 0) return;
      booked++;
      expect(theirCheck(poolShiftBookings(request, 'sh', shifts)).map((v) => `${v.rule} ${v.assistantId} ${v.detail}`)).toEqual([]);
    }),
    { numRuns: 400 },
  );
  expect(booked).toBeGreaterThan(50);
}, 120_000);
