import type { ExternalBooking } from '../../solver/result.ts';
import { restOfBooking } from '../../solver/rules/rest-elsewhere.ts';

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;

/**
 * The daily rest between two bookings of one person in two ordninger: the stricter of what each
 * ordning planned with (the law's 11 h for a booking that does not say), never the weaker one.
 */
export const restBetweenMs = (a: ExternalBooking, b: ExternalBooking): number => Math.max(restOfBooking(a).daily, restOfBooking(b).daily) * HOUR;

/** True when a new booking overlaps, or lies within the rest owed around, another schedule's booking of the same person. */
export function clashes(existing: ExternalBooking[], incoming: ExternalBooking[], scheduleId: string): boolean {
  return incoming.some((n) =>
    existing.some((e) => {
      if (e.scheduleId === scheduleId || e.assistantId !== n.assistantId) return false;
      const rest = restBetweenMs(n, e);
      return at(n.start) < at(e.end) + rest && at(e.start) < at(n.end) + rest;
    }),
  );
}
