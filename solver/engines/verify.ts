import type { MilpModel } from './types.ts';

const TOL = 1e-6;

/** The first row, bound or integrality the values break, or null when they satisfy the model. */
export function verifySolution(model: MilpModel, values: number[]): string | null {
  const { variables, constraints } = model;
  if (values.length !== variables.length) return `expected ${variables.length} values, got ${values.length}`;
  // Index loops: this runs once per engine call, on every row (see packModel).
  for (let j = 0; j < variables.length; j++) {
    const v = variables[j]!;
    const x = values[j]!;
    if (!Number.isFinite(x)) return `${v.name} is not finite`;
    if (x < v.lb - TOL || x > v.ub + TOL) return `${v.name} = ${x} outside [${v.lb}, ${v.ub}]`;
    if (v.integer && Math.abs(x - Math.round(x)) > 1e-5) return `${v.name} = ${x} is not integral`;
  }
  for (let i = 0; i < constraints.length; i++) {
    const c = constraints[i]!;
    let lhs = 0;
    for (let t = 0; t < c.terms.length; t++) lhs += c.terms[t]![1] * values[c.terms[t]![0]]!;
    const slack = TOL * Math.max(1, Math.abs(lhs));
    if (lhs < c.lb - slack || lhs > c.ub + slack) return `row ${c.name} = ${lhs} outside [${c.lb}, ${c.ub}]`;
  }
  return null;
}
