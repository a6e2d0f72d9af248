import { type CheckInput, type Work, HOUR, fmt, violation, workByAssistant } from './input.ts';
import type { Violation } from '../result.ts';

/** Daily rest owed between two pieces of work: this plan's, or the stricter one next to work elsewhere. */
const dailyRestBetween = (input: CheckInput, x: Work, y: Work): number =>
  Math.max(input.params.minDailyRestHours, x.rest?.daily ?? 0, y.rest?.daily ?? 0);

/** `no-overlap` and `daily-rest`: every later shift starts at least the daily rest after an earlier one ends. */
function pairs(input: CheckInput, visit: (a: string, x: Work, y: Work, restHours: number) => Violation[]): Violation[] {
  const out: Violation[] = [];
  for (const [a, items] of workByAssistant(input)) {
    const longest = Math.max(input.params.minDailyRestHours, ...items.map((w) => w.rest?.daily ?? 0)) * HOUR;
    for (let i = 0; i < items.length; i++)
      for (let j = i + 1; j < items.length && items[j]!.start < items[i]!.end + longest; j++) {
        const [x, y] = [items[i]!, items[j]!];
        const restHours = dailyRestBetween(input, x, y);
        if (y.start < x.end + restHours * HOUR) out.push(...visit(a, x, y, restHours));
      }
  }
  return out;
}

export const checkNoOverlap = (input: CheckInput): Violation[] =>
  pairs(input, (a, x, y) => (y.start < x.end ? violation('no-overlap', a, [x, y], `${x.shiftId} and ${y.shiftId} overlap`) : []));

export const checkDailyRest = (input: CheckInput): Violation[] =>
  pairs(input, (a, x, y, restHours) =>
    y.start >= x.end
      ? violation('daily-rest', a, [x, y], `${fmt((y.start - x.end) / HOUR)} rest between ${x.shiftId} and ${y.shiftId}, ${restHours} h required`)
      : [],
  );
