import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { normalise, weekdayOf } from '../solver/normalise.ts';
import { ScheduleRequestSchema, WEEKDAYS } from '../solver/index.ts';

// normalise remembers shift times by date, clock times and zone (solver/memo.ts): whatever was
// asked before, each answer must be luxon's own for exactly these, across DST changes and zones.
const ZONES = ['Europe/Oslo', 'UTC', 'America/New_York', 'Australia/Sydney'];
const clock = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45)).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const monday = fc.integer({ min: 0, max: 15 * 52 }).map((w) => DateTime.fromISO('2020-01-06', { zone: 'utc' }).plus({ weeks: w }).toISODate()!);

describe('shift times from clock times', () => {
  it('agree with luxon for any period, clock times and zone, asked in any order', () => {
    fc.assert(
      fc.property(monday, clock, clock, fc.shuffledSubarray(ZONES, { minLength: 2 }), (start, from, to, zones) => {
        fc.pre(from !== to);
        // The same dates and clock times in several zones, one after another.
        for (const timezone of zones) expectLuxon(start, from, to, timezone);
      }),
      { numRuns: 300 },
    );
  });
});

/** One week's shifts at these clock times in this zone, each against luxon asked directly. */
function expectLuxon(start: string, from: string, to: string, timezone: string) {
  const request = ScheduleRequestSchema.parse({
    ordning: { id: 'o', timezone, vedtak: { hoursPerWeek: 40, year: Number(start.slice(0, 4)) } },
    period: { start, weeks: 1 },
    needs: [{ id: 'n', days: [...WEEKDAYS], start: from, end: to }],
    assistants: [{ id: 'a', positionPercent: 100 }],
  });
  for (const s of normalise(request)) {
    const begin = DateTime.fromISO(`${s.date}T${from}`, { zone: timezone });
    const end = DateTime.fromISO(`${to <= from ? DateTime.fromISO(s.date).plus({ days: 1 }).toISODate() : s.date}T${to}`, { zone: timezone });
    expect([s.start, s.end, s.hours, s.startIso]).toEqual([begin.toMillis(), end.toMillis(), end.diff(begin, 'hours').hours, begin.toISO({ suppressMilliseconds: true })]);
    expect(weekdayOf(s.date)).toBe(WEEKDAYS[DateTime.fromISO(s.date, { zone: 'utc' }).weekday - 1]);
  }
}
