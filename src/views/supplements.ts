import { DateTime } from 'luxon';
import { holidayName } from '../../solver/calendar.ts';

/**
 * The hours of a shift that carry pay supplements, the one place their boundaries are defined.
 *
 * The BPA tariff agreements (Virke and NHO BPA, see ../shared/domain/bpa-and-working-time.md, "Tariff
 * facts") pay a supplement per hour for evening and night work and for Saturday and Sunday work, and
 * helligdag work is paid on top. The boundaries here follow the common reading of those agreements and
 * the law's night (AML §10-11, 21:00-06:00):
 *   - day      06:00-17:00  (no time-of-day supplement)
 *   - evening  17:00-21:00
 *   - night    21:00-06:00
 *   - weekend  Saturday 00:00 to Sunday 24:00
 *   - holiday  00:00-24:00 on a helligdag (date-holidays, country NO, type public: 1 and 17 May too)
 * Day, evening and night split every hour exactly once, so they add up to the shift's hours; weekend
 * and holiday hours are supplements on top and may overlap them and each other. All in the ordning's
 * local time, so a night over a DST change counts the hours that were actually worked.
 */
export const TIME_OF_DAY = { eveningStarts: 17, nightStarts: 21, nightEnds: 6 } as const;

export interface SupplementHours { day: number; evening: number; night: number; weekend: number; holiday: number }

const HOUR_MS = 3_600_000;

/** The hours of [start, end) in each category; ISO instants, read in `zone`. */
export function supplementHours(startIso: string, endIso: string, zone: string): SupplementHours {
  const start = DateTime.fromISO(startIso, { zone });
  const end = DateTime.fromISO(endIso, { zone });
  const out: SupplementHours = { day: 0, evening: 0, night: 0, weekend: 0, holiday: 0 };
  const { eveningStarts, nightStarts, nightEnds } = TIME_OF_DAY;
  for (let day = start.startOf('day'); day < end; day = day.plus({ days: 1 })) {
    const at = (hour: number) => (hour === 24 ? day.plus({ days: 1 }) : day.set({ hour })).toMillis();
    const part = (from: number, to: number) => Math.max(0, Math.min(end.toMillis(), at(to)) - Math.max(start.toMillis(), at(from))) / HOUR_MS;
    const whole = part(0, 24);
    out.night += part(0, nightEnds) + part(nightStarts, 24);
    out.day += part(nightEnds, eveningStarts);
    out.evening += part(eveningStarts, nightStarts);
    if (day.weekday >= 6) out.weekend += whole;
    if (holidayName(day.toISODate()!) !== undefined) out.holiday += whole;
  }
  return out;
}
