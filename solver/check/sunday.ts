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

/**
 * `sunday-rest`: a worked Sunday/holiday period is followed by one off, or the averaged variant.
 * A breach is this plan's only where its own work makes one of the periods worked: a period already
 * worked elsewhere stays worked whatever this plan adds to it (the model reads it so too,
 * rules/sunday-rest.ts), so work here in it brings nothing the other ordninger had not.
 */
export function checkSundayRest(input: CheckInput): Violation[] {
  const span = period(input.request);
  const periods = sundayHolidayPeriods(span.start, span.end, input.request.ordning.timezone);
  const out: Violation[] = [];
  for (const [a, items] of workByAssistant(input)) {
    const worked: Work[][] = periods.map((p) => items.filter((w) => w.end > p.start && w.start < p.end));
    const on = worked.map((ws) => ws.length > 0);
    const onlyHere = worked.map((ws) => ws.length > 0 && ws.every((w) => !w.external));
    const breach = (ks: number[], detail: string) =>
      ks.some((k) => onlyHere[k]) ? violation('sunday-rest', a, ks.flatMap((k) => worked[k]!), detail) : [];
    if (input.params.sundayRule === 'off-after-worked') {
      for (let k = 0; k + 1 < periods.length; k++)
        if (on[k] && on[k + 1]) out.push(...breach([k, k + 1], `worked both ${periods[k]!.label} and ${periods[k + 1]!.label}`));
      continue;
    }
    for (let k = 0; k + 4 <= periods.length; k++)
      if (on.slice(k, k + 4).every(Boolean)) out.push(...breach([k, k + 1, k + 2, k + 3], `no Sunday/holiday off in 4 from ${periods[k]!.label}`));
    const count = on.filter(Boolean).length;
    if (count > Math.ceil(periods.length / 2))
      out.push(...breach(periods.map((_, k) => k).filter((k) => on[k]), `worked ${count} of ${periods.length} Sundays/holidays, at most every other`));
  }
  return out;
}
