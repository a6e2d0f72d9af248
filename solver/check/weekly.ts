import { DateTime } from 'luxon';
import { calendarWeeks } from '../calendar.ts';
import type { Violation } from '../result.ts';
import { type CheckInput, HOUR, fmt, inside, load, violation, workByAssistant } from './input.ts';

const weeksOf = (input: CheckInput) => calendarWeeks(input.request.period.start, input.request.period.weeks, input.request.ordning.timezone);

/** `weekly-rest`: every calendar week holds a continuous free stretch of the weekly rest. */
export function checkWeeklyRest(input: CheckInput): Violation[] {
  const out: Violation[] = [];
  for (const [a, items] of workByAssistant(input))
    for (const week of weeksOf(input)) {
      const work = inside(items, week.start, week.end);
      // Work elsewhere in the week may be owed a longer rest than this plan's (rules/rest-elsewhere.ts).
      const needHours = Math.max(input.params.minWeeklyRestHours, ...work.map((w) => w.rest?.weekly ?? 0));
      const need = needHours * HOUR;
      let longest = 0;
      let free = week.start;
      for (const w of work) {
        longest = Math.max(longest, w.start - free);
        free = Math.max(free, w.end);
      }
      longest = Math.max(longest, week.end - free);
      if (longest + 1e-6 < need)
        out.push(...violation('weekly-rest', a, work, `longest rest in ${week.label} is ${fmt(longest / HOUR)}, ${needHours} h required`));
    }
  return out;
}

/** `average-weekly-hours`: counted hours over each run of averaging weeks within the average. */
export function checkAverageWeeklyHours(input: CheckInput): Violation[] {
  const avg = input.params.averageWeeklyHours;
  if (avg === null) return [];
  const weeks = weeksOf(input);
  const span = Math.min(input.params.averagingWeeks, weeks.length);
  const out: Violation[] = [];
  for (const [a, items] of workByAssistant(input))
    for (let i = 0; i + span <= weeks.length; i++) {
      const from = weeks[i]!.start;
      const to = weeks[i + span - 1]!.end;
      const { active, passive } = load(items, from, to);
      if (active + passive / 2 > avg * span + 1e-6) {
        out.push(...violation('average-weekly-hours', a, inside(items, from, to), `${fmt(active + passive / 2)} counted over ${span} weeks from ${DateTime.fromMillis(from, { zone: input.request.ordning.timezone }).toISODate()}, limit ${avg * span} h`));
        break;
      }
    }
  return out;
}
