import { DateTime } from 'luxon';
import type { ScheduleRequest } from '../../solver/request.ts';
import type { ScheduleResult } from '../../solver/result.ts';
import type { Lang } from '../i18n/texts.ts';
import { supplementHours } from './supplements.ts';

/**
 * The timeliste for payroll: one row per assistant and shift. The column order is fixed and
 * documented in docs/timeliste.md; only the header words follow the language.
 */
const HEADERS: Record<Lang, string[]> = {
  nb: ['dato', 'assistent_id', 'navn', 'vakt_id', 'behov', 'start', 'slutt', 'timer', 'type', 'dagtimer', 'kveldstimer', 'natttimer', 'helgetimer', 'helligdagstimer'],
  en: ['date', 'assistant_id', 'name', 'shift_id', 'need', 'start', 'end', 'hours', 'kind', 'day_hours', 'evening_hours', 'night_hours', 'weekend_hours', 'holiday_hours'],
};
const KIND: Record<Lang, Record<'active' | 'passive', string>> = { nb: { active: 'aktiv', passive: 'passiv' }, en: { active: 'active', passive: 'passive' } };

/** A figure with at most 2 decimals and a decimal point, whatever the language (machines read it). */
const figure = (x: number) => String(Math.round(x * 100) / 100);

/**
 * A text field as a spreadsheet must not run it: a leading = + - @ or control character makes a
 * formula in Excel and LibreOffice, so it gets a leading apostrophe (OWASP's CSV injection advice).
 */
export function safeText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** RFC 4180: quote a field holding a comma, quote or line break, and double its quotes. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function timelisteCsv(input: ScheduleRequest, result: ScheduleResult, lang: Lang, nameOf: (id: string) => string | undefined): string {
  const zone = input.ordning.timezone;
  const labels = new Map(input.needs.map((n) => [n.id, (n as { label?: string }).label ?? n.id]));
  const rows = result.shifts
    .flatMap((s) => s.assistantIds.map((assistantId) => ({ s, assistantId })))
    .sort((x, y) => Date.parse(x.s.start) - Date.parse(y.s.start) || x.assistantId.localeCompare(y.assistantId))
    .map(({ s, assistantId }) => {
      const h = supplementHours(s.start, s.end, zone);
      const text = [assistantId, nameOf(assistantId) ?? '', s.id, labels.get(s.needId) ?? s.needId].map((t) => csvField(safeText(t)));
      const date = DateTime.fromISO(s.start, { zone }).toISODate()!;
      return [date, ...text, s.start, s.end, figure(s.hours), KIND[lang][s.kind], ...[h.day, h.evening, h.night, h.weekend, h.holiday].map(figure)].join(',');
    });
  // The byte order mark lets spreadsheets read the file as UTF-8 (names with æ, ø, å).
  return `\uFEFF${[HEADERS[lang].join(','), ...rows].join('\r\n')}\r\n`;
}
