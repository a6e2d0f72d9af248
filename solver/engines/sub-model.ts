import type { MilpModel } from './types.ts';

/** A plan's objective value: every variable's cost times its value, plus the model's constant. */
export const objectiveOf = (model: MilpModel, x: number[]): number => model.variables.reduce((t, v, j) => t + v.cost * x[j]!, model.offset ?? 0);

/** The engines' relative tolerance around an objective value. */
export const tolerance = (value: number) => 1e-9 * (1 + Math.abs(value));
/** `found` is at most `value`, within that tolerance (minimising). */
export const noWorse = (found: number, value: number) => found <= value + tolerance(value);

/**
 * The model over the freed variables only, every other variable at its value in `x`: rows lose their
 * fixed terms to their bounds, and rows with nothing free are left out (x keeps them). Continuous
 * variables in a row with a freed one are freed too (the slacks of the rows the part touches), so
 * the sub-model stays small for the engine to read and presolve. `lift` puts a sub-solution back.
 */
export function restrict(model: MilpModel, freed: number[], x: number[]): { model: MilpModel; free: number[]; lift: (values: number[]) => number[] } {
  const isFree = new Set(freed);
  for (const c of model.constraints)
    if (c.terms.some(([j]) => isFree.has(j))) for (const [j] of c.terms) if (!model.variables[j]!.integer) isFree.add(j);
  const free = [...isFree].sort((a, b) => a - b);
  const local = new Map(free.map((j, i) => [j, i]));
  const constraints = model.constraints.flatMap((c) => {
    const terms: [number, number][] = [];
    let fixed = 0;
    for (const [j, coef] of c.terms) {
      const i = local.get(j);
      if (i === undefined) fixed += coef * x[j]!;
      else terms.push([i, coef]);
    }
    return terms.length ? [{ name: c.name, terms, lb: c.lb - fixed, ub: c.ub - fixed }] : [];
  });
  return {
    model: { variables: free.map((j) => model.variables[j]!), constraints },
    free,
    lift: (values) => {
      const y = [...x];
      // Integers exactly: fixed at a value off by 1e-9, they would drift from one round to the next.
      free.forEach((j, i) => (y[j] = model.variables[j]!.integer ? Math.round(values[i]!) : values[i]!));
      return y;
    },
  };
}
