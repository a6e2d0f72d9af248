import { sundayHolidayPeriods } from '../calendar.ts';
import type { Violation } from '../result.ts';
import { type CheckInput, type Work, violation, workByAssistant } from './input.ts';
import { period } from '../normalise.ts';

/** How many of the plan's Sunday/holiday periods an assistant's work touches, of how many. */
export function sundaysWorked(input: CheckInput, items: Work[]): { worked: number; of: number } {
  const span = period(input.request);
  const periods = sundayHolidayPeriods(span.start, span.end, input.request.ordning.timezone);
  return { worked: periods.filter((p) => items.some((w) => w.end > p.start && w.start < p.end)).length, of: periods.length };
}

/** `sunday-rest`: a worked Sunday/holiday period is followed by one off, or the averaged variant. */
export function checkSundayRest(input: CheckInput): Violation[] {
  const span = period(input.request);
  const periods = sundayHolidayPeriods(span.start, span.end, input.request.ordning.timezone);
  const out: Violation[] = [];
  for (const [a, items] of workByAssistant(input)) {
    const worked: Work[][] = periods.map((p) => items.filter((w) => w.end > p.start && w.start < p.end));
    const on = worked.map((ws) => ws.length > 0);
    if (input.params.sundayRule === 'off-after-worked') {
      for (let k = 0; k + 1 < periods.length; k++)
        if (on[k] && on[k + 1])
          out.push(...violation('sunday-rest', a, [...worked[k]!, ...worked[k + 1]!], `worked both ${periods[k]!.label} and ${periods[k + 1]!.label}`));
      continue;
    }
    for (let k = 0; k + 4 <= periods.length; k++)
      if (on.slice(k, k + 4).every(Boolean))
        out.push(...violation('sunday-rest', a, worked.slice(k, k + 4).flat(), `no Sunday/holiday off in 4 from ${periods[k]!.label}`));
    const count = on.filter(Boolean).length;
    if (count > Math.ceil(periods.length / 2))
      out.push(...violation('sunday-rest', a, worked.flat(), `worked ${count} of ${periods.length} Sundays/holidays, at most every other`));
  }
  return out;
}
