import { checkPinned } from '../check/plan-rules.ts';
import type { Rule } from './rule.ts';

export const pinned: Rule = {
  name: 'pinned',
  title: 'Pinned assignments are kept',
  parameters: [],
  constrain(ctx) {
    for (const p of ctx.request.pinned) {
      const w = ctx.work.get(p.assistantId)?.find((i) => i.shiftId === `${p.needId}@${p.date}`);
      if (w?.v !== undefined) ctx.builder.variables[w.v]!.lb = 1;
    }
  },
  check: checkPinned,
};
