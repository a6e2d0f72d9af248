import { DateTime } from 'luxon';
import { withSeconds } from '../../solver/request.ts';
import type { Ordning } from './schemas.ts';

/** The vedtak of a stored ordning read day by day: its weekly hours may change within the year. */

const DAY = 86_400_000;

/** Epoch ms of a local date-time (or date) in the ordning's zone. */
export const localMs = (local: string, zone: string): number => DateTime.fromISO(local, { zone }).toMillis();
/** Whether a local date-time occurs in the zone: one the clocks skip when they go forward does not (luxon moves it on). */
export const occursIn = (local: string, zone: string): boolean =>
  DateTime.fromISO(local, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ss") === withSeconds(local);
/** ISO time with offset, as plans carry them. */
export const isoAt = (ms: number, zone: string): string => DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true })!;

/** The weekly hours and passive factor in force on a local date, or null outside the vedtak. */
export function vedtakOn(o: Ordning, isoDate: string): { hoursPerWeek: number; passiveHoursFactor: number } | null {
  const v = o.vedtak;
  if (isoDate < v.from || (v.to && isoDate > v.to)) return null;
  let hoursPerWeek = v.hoursPerWeek;
  let passiveHoursFactor = v.passiveHoursFactor;
  for (const c of [...v.changes].sort((a, b) => a.from.localeCompare(b.from)))
    if (c.from <= isoDate) {
      hoursPerWeek = c.hoursPerWeek;
      passiveHoursFactor = c.passiveHoursFactor ?? passiveHoursFactor;
    }
  return { hoursPerWeek, passiveHoursFactor };
}

export const yearStart = (year: number, zone: string) => DateTime.fromObject({ year, month: 1, day: 1 }, { zone }).toMillis();

/** True when the vedtak is in force on some day of the year. */
export function hasVedtakIn(o: Ordning, year: number): boolean {
  return o.vedtak.from <= `${year}-12-31` && (!o.vedtak.to || o.vedtak.to >= `${year}-01-01`);
}

/** Vedtak hours granted over [from, to): each local day's weekly figure / 7, by the part of the day inside. */
export function vedtakHoursIn(o: Ordning, from: number, to: number): number {
  if (to <= from) return 0;
  const zone = o.timezone;
  let day = DateTime.fromMillis(from, { zone }).startOf('day');
  let total = 0;
  while (day.toMillis() < to) {
    const next = day.plus({ days: 1 });
    const length = next.toMillis() - day.toMillis(); // 23 or 25 h on DST days
    const inside = Math.min(to, next.toMillis()) - Math.max(from, day.toMillis());
    const v = vedtakOn(o, day.toISODate()!);
    if (v && inside > 0) total += (v.hoursPerWeek / 7) * (inside / length);
    day = next;
  }
  return total;
}

export const hoursBetween = (from: number, to: number) => Math.max(0, to - from) / 3_600_000;
export { DAY };
