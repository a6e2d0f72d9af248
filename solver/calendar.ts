import { DateTime } from 'luxon';
import Holidays from 'date-holidays';
import { memo } from './memo.ts';

/** Calendar facts the rules and the checker share: holidays, Sunday/holiday periods, nights, weeks. */

const norway = new Holidays('NO');
const holidayCache = new Map<number, Map<string, string>>();

/** Public holidays of a year as ISO date -> name (date-holidays knows Easter and its movable feasts). */
function publicHolidays(year: number): Map<string, string> {
  let days = holidayCache.get(year);
  if (!days) {
    days = new Map(
      norway
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => [h.date.slice(0, 10), h.name] as [string, string]),
    );
    holidayCache.set(year, days);
  }
  return days;
}

export function holidayName(isoDate: string): string | undefined {
  return publicHolidays(Number(isoDate.slice(0, 4))).get(isoDate);
}

/** Sundays and helligdager; 1 May and 17 May are public holidays in date-holidays, so count too. */
export function isSundayOrHoliday(isoDate: string): boolean {
  return DateTime.fromISO(isoDate).weekday === 7 || holidayName(isoDate) !== undefined;
}

/** Eves whose Sunday/holiday work starts at 15:00 rather than 18:00 (AML §10-10). */
function isGreatEve(nextDay: string): boolean {
  const name = holidayName(nextDay) ?? '';
  return /Første juledag|Første påskedag|Første pinsedag/.test(name);
}

export interface SundayPeriod { start: number; end: number; label: string }

/**
 * Sunday/holiday periods overlapping [from, to): 18:00 (15:00 on Christmas, Easter and Whitsun
 * eves) the day before until 22:00 on the day. Overlapping periods (consecutive holidays) merge.
 */
function computeSundayPeriods(from: number, to: number, zone: string): SundayPeriod[] {
  const first = DateTime.fromMillis(from, { zone }).startOf('day');
  const raw: SundayPeriod[] = [];
  for (let day = first; day.toMillis() < to + 86_400_000 * 2; day = day.plus({ days: 1 })) {
    const iso = day.toISODate()!;
    if (!isSundayOrHoliday(iso)) continue;
    const eve = day.minus({ days: 1 }).set({ hour: isGreatEve(iso) ? 15 : 18 });
    const start = eve.toMillis();
    const end = day.set({ hour: 22 }).toMillis();
    if (end > from && start < to) raw.push({ start, end, label: iso });
  }
  const merged: SundayPeriod[] = [];
  for (const p of raw) {
    const last = merged[merged.length - 1];
    if (last && p.start < last.end) merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, p.end), label: `${last.label}+${p.label}` };
    else merged.push(p);
  }
  return merged;
}

const clockOn = (day: DateTime, clock: string): DateTime => {
  const [h, m] = clock.split(':').map(Number) as [number, number];
  return day.set({ hour: h, minute: m, second: 0, millisecond: 0 });
};

/** Hours of [start, end) inside the night window (e.g. 21:00-06:00), in the zone's local time. */
function computeNightHours(start: number, end: number, zone: string, nightStart: string, nightEnd: string): number {
  let total = 0;
  const wraps = nightEnd <= nightStart;
  for (let day = DateTime.fromMillis(start, { zone }).startOf('day').minus({ days: 1 }); day.toMillis() < end; day = day.plus({ days: 1 })) {
    const ws = clockOn(day, nightStart).toMillis();
    const we = clockOn(wraps ? day.plus({ days: 1 }) : day, nightEnd).toMillis();
    total += Math.max(0, Math.min(end, we) - Math.max(start, ws));
  }
  return total / 3_600_000;
}

/** AML §10-11: a shift with more than 3 h inside the night window is night work. */
export function isNightShift(start: number, end: number, zone: string, nightStart: string, nightEnd: string): boolean {
  return nightHours(start, end, zone, nightStart, nightEnd) > 3 + 1e-9;
}

export interface CalendarWeek { label: string; start: number; end: number }

/** The period's calendar weeks: local Monday 00:00 to the next, labelled `2027-W01`. */
function computeCalendarWeeks(periodStart: string, weeks: number, zone: string): CalendarWeek[] {
  const monday = DateTime.fromISO(periodStart, { zone }).startOf('day');
  return Array.from({ length: weeks }, (_, i) => {
    const s = monday.plus({ weeks: i });
    return { label: s.toFormat("kkkk-'W'WW"), start: s.toMillis(), end: s.plus({ weeks: 1 }).toMillis() };
  });
}

/** Calendar weekends overlapping [from, to): Saturday 00:00 to Monday 00:00. */
export const weekends = memo(computeWeekends, 1000);

function computeWeekends(from: number, to: number, zone: string): { start: number; end: number; label: string }[] {
  const out: { start: number; end: number; label: string }[] = [];
  let sat = DateTime.fromMillis(from, { zone }).startOf('week').plus({ days: 5 }).minus({ weeks: 1 });
  for (; sat.toMillis() < to; sat = sat.plus({ weeks: 1 })) {
    const end = sat.plus({ days: 2 }).toMillis();
    if (end > from) out.push({ start: sat.toMillis(), end, label: sat.toISODate()! });
  }
  return out;
}

export const HOUR = 3_600_000;

export const sundayHolidayPeriods = memo(computeSundayPeriods);
/** Epoch ms of a local date-time in a zone: time-zone offsets are slow to look up in luxon. */
export const localMillis = memo((iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toMillis());
export const nightHours = memo(computeNightHours);
export const calendarWeeks = memo(computeCalendarWeeks);
