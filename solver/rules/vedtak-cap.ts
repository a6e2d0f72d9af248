import { vedtakFrame, vedtakHours } from '../budget.ts';
import { checkVedtakCap } from '../check/plan-rules.ts';
import type { Rule } from './rule.ts';

export const vedtakCap: Rule = {
  name: 'vedtak-cap',
  title: 'Planned hours within what the vedtak leaves for the period',
  parameters: [],
  constrain(ctx) {
    const byId = new Map(ctx.shifts.map((s) => [s.id, s]));
    const terms: [number, number][] = [];
    let fixed = 0;
    for (const items of ctx.work.values())
      for (const w of items) {
        const s = byId.get(w.shiftId);
        if (!s) continue; // a booking in another ordning uses that ordning's vedtak
        const h = vedtakHours(s.hours, s.kind, ctx.request);
        if (w.v === undefined) fixed += h;
        else terms.push([w.v, h]);
      }
    ctx.builder.row('vedtak-cap', terms, -Infinity, vedtakFrame(ctx.request).periodCap - fixed);
  },
  check: checkVedtakCap,
};
