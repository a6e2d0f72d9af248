import fc from 'fast-check';
import { ScheduleRequestSchema, type ScheduleRequestInput } from '../../solver/index.ts';
import { WEEK } from './plan.ts';

/** Small random ordninger for property tests: up to 3 needs, 2-4 assistants, 1-2 weeks, any profile. */
const clock = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 30)).map(([h, m]) => `${String(h).padStart(2, '0')}:${m ? '30' : '00'}`);
const need = (i: number) =>
  fc.record({
    id: fc.constant(`n${i}`),
    days: fc.subarray([...WEEK], { minLength: 1 }),
    start: clock,
    end: clock,
    assistants: fc.integer({ min: 1, max: 2 }),
    kind: fc.constantFrom('active', 'passive'),
    priority: fc.constantFrom('essential', 'important', 'optional'),
  }).filter((n) => n.start !== n.end);

export const requestArb = fc.record({
  needs: fc.tuple(need(0), need(1), need(2)).map((ns) => ns.slice(0, 1 + (ns[0].assistants % 3))),
  assistants: fc.array(fc.integer({ min: 20, max: 100 }), { minLength: 2, maxLength: 4 }).map((ps) => ps.map((p, i) => ({ id: `a${i}`, positionPercent: p }))),
  weeks: fc.integer({ min: 1, max: 2 }),
  start: fc.constantFrom('2027-01-04', '2027-03-22', '2027-10-25', '2027-12-20'),
  hoursPerWeek: fc.integer({ min: 10, max: 120 }),
  profile: fc.constantFrom('aml', 'aml-average', 'bpa-tariff'),
  factor: fc.constantFrom(1, 0.5),
});


export type RandomRequest = typeof requestArb extends fc.Arbitrary<infer T> ? T : never;

/** The random ordning as a validated request, with the given solver settings (defaults when absent). */
export function toRequest(r: RandomRequest, solver?: ScheduleRequestInput['solver']) {
  return ScheduleRequestSchema.parse({
    ordning: { id: 'o', vedtak: { hoursPerWeek: r.hoursPerWeek, year: 2027, passiveHoursFactor: r.factor } },
    period: { start: r.start, weeks: r.weeks },
    rules: { profile: r.profile },
    needs: r.needs,
    assistants: r.assistants,
    ...(solver ? { solver } : {}),
  });
}

/**
 * Small random ordninger shaped like real ones, for properties about plan quality: shifts of 3-12 h
 * starting on the half hour, every priority, skills, some leave, a vedtak that sometimes binds.
 */
const shiftNeed = (i: number) =>
  fc.record({
    id: fc.constant(`n${i}`),
    days: fc.subarray([...WEEK], { minLength: 2 }),
    startHalfHour: fc.integer({ min: 0, max: 47 }),
    halfHours: fc.integer({ min: 6, max: 24 }),
    assistants: fc.constantFrom(1, 1, 2),
    kind: fc.constantFrom('active', 'active', 'passive'),
    priority: fc.constantFrom('essential', 'important', 'optional'),
    skills: fc.constantFrom([], [], ['lifting']),
  }).map(({ startHalfHour, halfHours, ...n }) => ({ ...n, start: clockAt(startHalfHour), end: clockAt((startHalfHour + halfHours) % 48) }));

const clockAt = (halfHour: number) => `${String(Math.floor(halfHour / 2)).padStart(2, '0')}:${halfHour % 2 ? '30' : '00'}`;

export const ordningArb = fc.record({
  needs: fc.array(fc.nat(), { minLength: 2, maxLength: 4 }).chain((ks) => fc.tuple(...ks.map((_, i) => shiftNeed(i)))),
  assistants: fc.array(
    fc.record({ positionPercent: fc.constantFrom(20, 40, 50, 60, 80, 100), lifting: fc.boolean(), leaveDay: fc.option(fc.integer({ min: 0, max: 12 }), { freq: 3 }) }),
    { minLength: 2, maxLength: 5 },
  ),
  weeks: fc.integer({ min: 1, max: 2 }),
  start: fc.constantFrom('2027-01-04', '2027-03-22', '2027-05-10', '2027-10-25', '2027-12-20'),
  vedtakShare: fc.constantFrom(0.6, 1, 1.5),
  profile: fc.constantFrom('aml', 'aml-average', 'bpa-tariff'),
  factor: fc.constantFrom(1, 0.5),
});

export type RandomOrdning = typeof ordningArb extends fc.Arbitrary<infer T> ? T : never;

export function ordningRequest(r: RandomOrdning) {
  const day = (k: number) => new Date(Date.parse(`${r.start}T00:00:00Z`) + k * 86_400_000).toISOString().slice(0, 10);
  const weekly = r.needs.reduce((t, n) => t + n.days.length * n.assistants * (((Number(n.end.slice(0, 2)) * 60 + Number(n.end.slice(3)) - Number(n.start.slice(0, 2)) * 60 - Number(n.start.slice(3)) + 1440) % 1440) / 60), 0);
  return ScheduleRequestSchema.parse({
    ordning: { id: 'o', vedtak: { hoursPerWeek: Math.max(1, Math.round(weekly * r.vedtakShare)), year: 2027, passiveHoursFactor: r.factor } },
    period: { start: r.start, weeks: r.weeks },
    rules: { profile: r.profile },
    needs: r.needs,
    assistants: r.assistants.map((a, i) => ({
      id: `a${i}`, positionPercent: a.positionPercent, skills: a.lifting ? ['lifting'] : [],
      unavailable: a.leaveDay === null ? [] : [{ start: `${day(a.leaveDay)}T00:00`, end: `${day(a.leaveDay + 2)}T00:00` }],
    })),
  });
}
