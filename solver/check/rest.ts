import { type CheckInput, HOUR, fmt, violation, workByAssistant } from './input.ts';
import type { Violation } from '../result.ts';

/** `no-overlap` and `daily-rest`: every later shift starts at least the daily rest after an earlier one ends. */
function pairs(input: CheckInput, visit: (a: string, x: import('./input.ts').Work, y: import('./input.ts').Work) => Violation[]): Violation[] {
  const out: Violation[] = [];
  const rest = input.params.minDailyRestHours * HOUR;
  for (const [a, items] of workByAssistant(input))
    for (let i = 0; i < items.length; i++)
      for (let j = i + 1; j < items.length && items[j]!.start < items[i]!.end + rest; j++) out.push(...visit(a, items[i]!, items[j]!));
  return out;
}

export const checkNoOverlap = (input: CheckInput): Violation[] =>
  pairs(input, (a, x, y) => (y.start < x.end ? violation('no-overlap', a, [x, y], `${x.shiftId} and ${y.shiftId} overlap`) : []));

export const checkDailyRest = (input: CheckInput): Violation[] =>
  pairs(input, (a, x, y) =>
    y.start >= x.end
      ? violation('daily-rest', a, [x, y], `${fmt((y.start - x.end) / HOUR)} rest between ${x.shiftId} and ${y.shiftId}, ${input.params.minDailyRestHours} h required`)
      : [],
  );
