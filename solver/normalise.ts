import { DateTime } from 'luxon';
import type { Need, ScheduleRequest, Weekday } from './request.ts';
import { WEEKDAYS } from './request.ts';
import { memo } from './memo.ts';

/** A concrete shift instance: one need on one local date, with absolute times. */
export interface ShiftInstance {
  id: string; // `${needId}@${YYYY-MM-DD}`
  needId: string;
  date: string; // local start date
  start: number; // epoch ms
  end: number;
  hours: number; // real elapsed hours (a DST night is 7 or 9 h)
  kind: 'active' | 'passive';
  priority: Need['priority'];
  headcount: number;
  skills: string[];
  startIso: string;
  endIso: string;
}

export interface Period {
  start: number; // epoch ms, local Monday 00:00
  end: number;
  days: string[]; // local ISO dates
}

const periods = new WeakMap<ScheduleRequest, Period>();

export function period(request: ScheduleRequest): Period {
  let p = periods.get(request);
  if (!p) periods.set(request, (p = periodOf(request.period.start, request.period.weeks, request.ordning.timezone)));
  return p;
}

/** By value too: a pool's ordninger and every request derived from one share their weeks (a few hundred kept: each holds its days). */
const periodOf = memo((start: string, weeks: number, zone: string): Period => {
  const first = DateTime.fromISO(start, { zone });
  const days = Array.from({ length: weeks * 7 }, (_, i) => first.plus({ days: i }).toISODate()!);
  return { start: first.toMillis(), end: first.plus({ weeks }).toMillis(), days };
}, 500);

/** The weekday of a local date (the date alone: no zone involved); 1 January 1970 was a Thursday. */
export const weekdayOf = (isoDate: string): Weekday => WEEKDAYS[(((Date.parse(`${isoDate}T00:00:00Z`) / 86_400_000 + 3) % 7) + 7) % 7]!;

/** Local clock time on a local date, in the zone; luxon moves times that DST skips forward. */
export function at(isoDate: string, clock: string, zone: string): DateTime {
  return DateTime.fromISO(`${isoDate}T${clock}`, { zone });
}

function instance(need: Need, date: string, zone: string): ShiftInstance {
  return {
    id: `${need.id}@${date}`,
    needId: need.id,
    date,
    ...shiftTimes(date, need.start, need.end, zone),
    kind: need.kind,
    priority: need.priority,
    headcount: need.assistants,
    skills: need.skills,
  };
}

/** A shift's absolute times from its local date and clock times; it ends the next day when it ends before it starts. */
const shiftTimes = memo((date: string, from: string, to: string, zone: string) => {
  const start = at(date, from, zone);
  const endDate = to <= from ? DateTime.fromISO(date).plus({ days: 1 }).toISODate()! : date;
  const end = at(endDate, to, zone);
  return {
    start: start.toMillis(),
    end: end.toMillis(),
    hours: end.diff(start, 'hours').hours,
    startIso: start.toISO({ suppressMilliseconds: true })!,
    endIso: end.toISO({ suppressMilliseconds: true })!,
  };
});

/** Every shift the needs ask for inside the period, sorted by start. */
export function normalise(request: ScheduleRequest): ShiftInstance[] {
  const zone = request.ordning.timezone;
  const { days } = period(request);
  const inPeriod = new Set(days);
  const shifts: ShiftInstance[] = [];
  for (const need of request.needs) {
    const dates = need.dates ? need.dates.filter((d) => inPeriod.has(d)) : days.filter((d) => need.days!.includes(weekdayOf(d)));
    for (const date of [...new Set(dates)]) shifts.push(instance(need, date, zone));
  }
  return shifts.sort((a, b) => a.start - b.start || a.id.localeCompare(b.id));
}
