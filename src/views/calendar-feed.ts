import { DateTime } from 'luxon';
import type { PlannedShift, ScheduleResult } from '../../solver/result.ts';
import type { Lang } from '../i18n/texts.ts';

/**
 * One assistant's shifts as an iCalendar feed (RFC 5545) that a calendar app subscribes to once.
 * Each shift is an event with a UID stable across versions (schedule, shift, assistant), so a re-plan
 * updates the events in place; SEQUENCE is the version that last changed the event, and a shift the
 * assistant lost in a re-plan stays in the feed as CANCELLED, so subscribers drop it.
 */

export interface FeedEvent {
  shift: PlannedShift;
  /** The version that last changed this event (added it, moved it, or took it away). */
  sequence: number;
  cancelled: boolean;
}

/**
 * The assistant's events over every version, oldest first: what the latest version gives them, and
 * what an earlier one gave and a later one took away.
 */
export function assistantEvents(versions: ScheduleResult[], assistantId: string): FeedEvent[] {
  const events = new Map<string, FeedEvent>();
  for (const v of versions) {
    const mine = new Map(v.shifts.filter((s) => s.assistantIds.includes(assistantId)).map((s) => [s.id, s]));
    for (const [id, shift] of mine) {
      const before = events.get(id);
      const same = before && !before.cancelled && before.shift.start === shift.start && before.shift.end === shift.end && before.shift.kind === shift.kind;
      if (!same) events.set(id, { shift, sequence: v.version, cancelled: false });
    }
    for (const [id, e] of events) if (!mine.has(id) && !e.cancelled) events.set(id, { ...e, sequence: v.version, cancelled: true });
  }
  return [...events.values()].sort((a, b) => Date.parse(a.shift.start) - Date.parse(b.shift.start));
}

export interface FeedInput {
  scheduleId: string;
  assistantId: string;
  assistantName: string;
  zone: string;
  events: FeedEvent[];
  labelOf: (needId: string) => string;
  /** When the latest version was saved: DTSTAMP of every event. */
  stamp: string;
  lang: Lang;
}

export function calendarFeed(f: FeedInput): string {
  const stamp = utc(DateTime.fromISO(f.stamp).toMillis());
  const title = `Turnus – ${f.assistantName}`;
  const lines = [
    'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//bpa-turnus//turnus//NB', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH',
    `X-WR-CALNAME:${text(title)}`, `X-WR-TIMEZONE:${f.zone}`,
    ...vtimezone(f.zone, f.events.map((e) => e.shift)),
    ...f.events.flatMap((e) => vevent(e, f, stamp)),
    'END:VCALENDAR',
  ];
  return lines.map(fold).join('\r\n') + '\r\n';
}

function vevent({ shift, sequence, cancelled }: FeedEvent, f: FeedInput, stamp: string): string[] {
  const passive = shift.kind === 'passive' ? (f.lang === 'nb' ? ' (passiv natt)' : ' (passive night)') : '';
  return [
    'BEGIN:VEVENT',
    `UID:${text(`${shift.id}.${f.assistantId}.${f.scheduleId}@bpa-turnus`)}`,
    `DTSTAMP:${stamp}`,
    `SEQUENCE:${sequence}`,
    dateTime('DTSTART', shift.start, f.zone),
    dateTime('DTEND', shift.end, f.zone),
    `SUMMARY:${text(`${f.labelOf(shift.needId)}${passive}`)}`,
    `STATUS:${cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
    'END:VEVENT',
  ];
}

/**
 * The zone's rules as a VTIMEZONE: every UTC offset change from the January before the first shift
 * to the December after the last, each as its own observance with the offsets before and after, so
 * any zone the tz database knows is described exactly (no RRULE to get wrong).
 */
export function vtimezone(zone: string, shifts: PlannedShift[]): string[] {
  const instants = shifts.flatMap((s) => [DateTime.fromISO(s.start).toMillis(), DateTime.fromISO(s.end).toMillis()]);
  const first = instants.length ? Math.min(...instants) : Date.now();
  const last = instants.length ? Math.max(...instants) : Date.now();
  const from = DateTime.fromMillis(first, { zone }).startOf('year').toMillis();
  const to = DateTime.fromMillis(last, { zone }).endOf('year').toMillis();
  const offset = (ms: number) => DateTime.fromMillis(ms, { zone }).offset;
  const observances: string[] = [];
  const observance = (at: number, before: number) => {
    const dt = DateTime.fromMillis(at, { zone });
    const kind = dt.isInDST ? 'DAYLIGHT' : 'STANDARD';
    const name = dt.setLocale('en-GB').toFormat('ZZZZ');
    observances.push(`BEGIN:${kind}`, `DTSTART:${localAt(at, before)}`, `TZOFFSETFROM:${hhmm(before)}`, `TZOFFSETTO:${hhmm(dt.offset)}`, `TZNAME:${text(name)}`, `END:${kind}`);
  };
  observance(from, offset(from));
  const DAY = 86_400_000;
  for (let t = from; t < to; t += DAY) {
    if (offset(t) === offset(t + DAY)) continue;
    // The change lies within this day: find its minute by halving.
    let lo = t;
    let hi = t + DAY;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (offset(mid) === offset(lo)) lo = mid;
      else hi = mid;
    }
    observance(hi, offset(lo));
  }
  return ['BEGIN:VTIMEZONE', `TZID:${zone}`, ...observances, 'END:VTIMEZONE'];
}

const pad = (n: number) => String(n).padStart(2, '0');
const hhmm = (minutes: number) => `${minutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(minutes) / 60))}${pad(Math.abs(minutes) % 60)}`;
const utc = (ms: number) => DateTime.fromMillis(ms, { zone: 'utc' }).toFormat("yyyyMMdd'T'HHmmss'Z'");

/**
 * A time in the zone's wall time, unless that wall time does not name this instant: in the hour the
 * clocks go back it occurs twice, and RFC 5545 reads it as the first, so the second is given in UTC.
 */
function dateTime(property: string, iso: string, zone: string): string {
  const at = DateTime.fromISO(iso, { zone });
  const wall = at.toFormat("yyyyMMdd'T'HHmmss");
  const reread = DateTime.fromFormat(wall, "yyyyMMdd'T'HHmmss", { zone });
  return reread.toMillis() === at.toMillis() ? `${property};TZID=${zone}:${wall}` : `${property}:${utc(at.toMillis())}`;
}
/** Local wall time of an instant at a given offset (the offset in force before a change). */
const localAt = (ms: number, offsetMinutes: number) => DateTime.fromMillis(ms + offsetMinutes * 60_000, { zone: 'utc' }).toFormat("yyyyMMdd'T'HHmmss");

/** TEXT values escape backslash, semicolon, comma and line breaks (RFC 5545 3.3.11). */
function text(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Lines longer than 75 octets fold with CRLF and a space, never inside a UTF-8 character. */
function fold(line: string): string {
  const parts: string[] = [];
  let current = '';
  let bytes = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch);
    if (bytes + size > (parts.length ? 74 : 75)) {
      parts.push(current);
      current = '';
      bytes = 0;
    }
    current += ch;
    bytes += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}
