import { round2 } from '../../solver/budget.ts';
import type { Ordning, TimesheetEntry } from './schemas.ts';
import { hoursBetween, localMs } from './vedtak.ts';

/**
 * Worked hours for payroll, one line per entry, in the columns of the plan's timeliste:
 * `assistantId,date,start,end,hours,kind`: date is the local date the work starts, start and end
 * local HH:MM (an end before the start is on the next day), hours decimal clock hours (2 decimals,
 * a DST night counts its real length), kind `active` or `passive`. Names are never exported here.
 */
export const PAYROLL_COLUMNS = ['assistantId', 'date', 'start', 'end', 'hours', 'kind'] as const;

const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

export function payrollCsv(o: Ordning, entries: TimesheetEntry[], year: number): string {
  const zone = o.timezone;
  const rows = entries
    .filter((e) => e.start.startsWith(`${year}-`))
    .sort((a, b) => a.start.localeCompare(b.start) || a.assistantId.localeCompare(b.assistantId))
    .map((e) => [e.assistantId, e.start.slice(0, 10), e.start.slice(11, 16), e.end.slice(11, 16), round2(hoursBetween(localMs(e.start, zone), localMs(e.end, zone))).toFixed(2), e.kind].map(cell).join(','));
  return [PAYROLL_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}
