import { checkSundayRest } from '../check/sunday.ts';
import type { ModelContext } from '../model/context.ts';
import { worksDuring } from '../model/indicators.ts';
import type { Rule } from './rule.ts';

/** AML §10-8(4) and §10-10, or the averaged form of §10-5 agreements. */
function constrain(ctx: ModelContext): void {
  for (const a of ctx.work.keys()) {
    const on = ctx.sundayPeriods.map((p) => worksDuring(ctx, a, p));
    const atMost = (name: string, group: (number | boolean)[], ub: number) => {
      const fixed = group.filter((g) => g === true).length;
      const vars = group.filter((g): g is number => typeof g === 'number');
      if (vars.length > 0 && fixed + vars.length > ub) ctx.builder.row(name, vars.map((v) => [v, 1]), -Infinity, Math.max(0, ub - fixed));
    };
    if (ctx.params.sundayRule === 'off-after-worked') {
      for (let k = 0; k + 1 < on.length; k++) atMost(`sun:${a}:${k}`, [on[k]!, on[k + 1]!], 1);
      continue;
    }
    for (let k = 0; k + 4 <= on.length; k++) atMost(`sun4:${a}:${k}`, on.slice(k, k + 4), 3);
    atMost(`sunhalf:${a}`, on, Math.ceil(on.length / 2));
  }
}

export const sundayRest: Rule = {
  name: 'sunday-rest',
  title: 'Sunday and holiday rest',
  parameters: ['sundayRule'],
  constrain,
  check: checkSundayRest,
};
