import { capRule, vedtakHours } from '../budget.ts';
import { checkVedtakCap } from '../check/plan-rules.ts';
import type { Rule } from './rule.ts';

export const vedtakCap: Rule = {
  name: 'vedtak-cap',
  title: 'Planned hours within the vedtak frame of the period (essential care past it only when the frame cannot hold it)',
  parameters: [],
  constrain(ctx) {
    const byId = new Map(ctx.shifts.map((s) => [s.id, s]));
    const rule = capRule(ctx.request);
    const terms: [number, number][] = [];
    let fixed = 0;
    for (const items of ctx.work.values())
      for (const w of items) {
        const s = byId.get(w.shiftId);
        if (!s) continue; // a booking in another ordning uses that ordning's vedtak
        // Soft frame too small for the essential care: essential hours go uncapped, no other hour is planned.
        if (rule.kind === 'essential-only' && s.priority === 'essential') continue;
        const h = vedtakHours(s.hours, s.kind, ctx.request);
        if (w.v === undefined) fixed += h;
        else terms.push([w.v, h]);
      }
    // Fixed work (kept in a re-plan) is never made infeasible by the frame: it is already decided.
    const room = rule.kind === 'total' ? rule.cap - fixed : 0;
    ctx.builder.row('vedtak-cap', terms, -Infinity, Math.max(0, room));
  },
  check: checkVedtakCap,
};
