import type { MilpModel } from './types.ts';

const TOL = 1e-6;

/** The first row, bound or integrality the values break, or null when they satisfy the model. */
export function verifySolution(model: MilpModel, values: number[]): string | null {
  if (values.length !== model.variables.length) return `expected ${model.variables.length} values, got ${values.length}`;
  for (const [j, v] of model.variables.entries()) {
    const x = values[j]!;
    if (!Number.isFinite(x)) return `${v.name} is not finite`;
    if (x < v.lb - TOL || x > v.ub + TOL) return `${v.name} = ${x} outside [${v.lb}, ${v.ub}]`;
    if (v.integer && Math.abs(x - Math.round(x)) > 1e-5) return `${v.name} = ${x} is not integral`;
  }
  for (const c of model.constraints) {
    const lhs = c.terms.reduce((s, [j, a]) => s + a * values[j]!, 0);
    const slack = TOL * Math.max(1, Math.abs(lhs));
    if (lhs < c.lb - slack || lhs > c.ub + slack) return `row ${c.name} = ${lhs} outside [${c.lb}, ${c.ub}]`;
  }
  return null;
}
