import { checkCoverage } from '../check/plan-rules.ts';
import type { Rule } from './rule.ts';

export const coverage: Rule = {
  name: 'coverage',
  title: 'No more assistants than a need asks for',
  parameters: [],
  constrain(ctx) {
    for (const s of ctx.shifts) {
      const vars = [...ctx.work.values()].flatMap((items) => items.filter((w) => w.shiftId === s.id && w.v !== undefined));
      const fixed = [...ctx.work.values()].flatMap((items) => items.filter((w) => w.shiftId === s.id && w.v === undefined)).length;
      if (vars.length + fixed > s.headcount) ctx.builder.row(`cover:${s.id}`, vars.map((w) => [w.v!, 1]), -Infinity, s.headcount - fixed);
    }
  },
  check: checkCoverage,
};
