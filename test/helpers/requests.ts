import type { ScheduleRequestInput } from '../../solver/request.ts';

const ALL = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** A small ordning: day and evening help every day, three assistants, one week. */
export function smallRequest(over: Partial<ScheduleRequestInput> = {}): ScheduleRequestInput {
  return {
    ordning: { id: 'ord-test', timezone: 'Europe/Oslo', vedtak: { hoursPerWeek: 100, year: 2027 } },
    period: { start: '2027-01-04', weeks: 1 },
    needs: [
      { id: 'day', days: [...ALL], start: '08:00', end: '15:00' },
      { id: 'eve', days: [...ALL], start: '15:00', end: '22:00', priority: 'important' },
    ],
    assistants: [
      { id: 'a1', positionPercent: 80 },
      { id: 'a2', positionPercent: 60 },
      { id: 'a3', positionPercent: 40 },
    ],
    solver: { timeLimitSeconds: 10, relativeGap: 0.01, engine: 'highs' },
    ...over,
  };
}

/** A request whose solve takes seconds: six assistants round the clock for four weeks. */
export function slowRequest(): ScheduleRequestInput {
  return {
    ...smallRequest(),
    ordning: { id: 'ord-slow', vedtak: { hoursPerWeek: 168, year: 2027 } },
    period: { start: '2027-03-22', weeks: 4 },
    needs: [
      { id: 'day', days: [...ALL], start: '07:00', end: '15:00' },
      { id: 'eve', days: [...ALL], start: '15:00', end: '23:00' },
      { id: 'night', days: [...ALL], start: '23:00', end: '07:00', kind: 'passive' },
    ],
    assistants: Array.from({ length: 6 }, (_, i) => ({ id: `a${i + 1}`, positionPercent: [100, 80, 60, 50][i % 4]! })),
    solver: { timeLimitSeconds: 6, relativeGap: 0, engine: 'highs' },
  };
}
