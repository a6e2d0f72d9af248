import { checkDailyRest } from '../check/rest.ts';
import { HOUR, type ModelContext, type WorkItem } from '../model/context.ts';
import type { Rule } from './rule.ts';

/**
 * AML §10-8(1). Shifts stretched by the rest that must follow them form an interval graph; two
 * conflict when the stretched intervals meet. The maximal cliques of an interval graph sit at
 * interval starts, and one row per maximal clique (at most one shift in it) is the tight form.
 */
function constrain(ctx: ModelContext): void {
  const rest = ctx.params.minDailyRestHours * HOUR;
  for (const [a, items] of ctx.work) {
    const free = items.filter((w) => w.v !== undefined);
    let previous: WorkItem[] = [];
    const cliques: WorkItem[][] = [];
    for (const w of free) {
      const clique = free.filter((o) => o.start <= w.start && w.start < o.end + rest);
      if (previous.length > 0 && previous.every((o) => clique.includes(o))) cliques.pop();
      cliques.push(clique);
      previous = clique;
    }
    for (const c of cliques) if (c.length > 1) ctx.builder.row(`rest:${a}:${c[0]!.shiftId}`, c.map((w) => [w.v!, 1]), -Infinity, 1);
  }
}

/**
 * A shift too close to work that is already fixed (another ordning, an earlier week) is out; next
 * to work elsewhere, "too close" is the stricter rest of the two ordninger (rest-elsewhere.ts).
 */
function eligible(assistant: { id: string }, shift: { start: number; end: number }, ctx: ModelContext): boolean {
  return !(ctx.work.get(assistant.id) ?? []).some((w) => {
    if (w.v !== undefined) return false;
    const rest = (w.rest?.daily ?? ctx.params.minDailyRestHours) * HOUR;
    return shift.start < w.end + rest && w.start < shift.end + rest;
  });
}

export const dailyRest: Rule = {
  name: 'daily-rest',
  title: 'Daily rest between shifts',
  parameters: ['minDailyRestHours'],
  eligible,
  constrain,
  check: checkDailyRest,
};
