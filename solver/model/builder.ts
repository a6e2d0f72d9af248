import type { MilpConstraint, MilpModel, MilpVariable } from '../engines/types.ts';

/** Collects variables and rows; terms on fixed work (value known) are moved to the bounds. */
export class ModelBuilder {
  readonly variables: MilpVariable[] = [];
  readonly constraints: MilpConstraint[] = [];
  private level: string | undefined;

  /** Rows added inside `fn` only define the objective of `level`. */
  forLevel<T>(level: string, fn: () => T): T {
    this.level = level;
    try {
      return fn();
    } finally {
      this.level = undefined;
    }
  }

  binary(name: string, cost = 0): number {
    return this.variable({ name, lb: 0, ub: 1, integer: true, cost });
  }

  continuous(name: string, cost = 0, lb = 0, ub = Infinity): number {
    return this.variable({ name, lb, ub, integer: false, cost });
  }

  variable(v: MilpVariable): number {
    this.variables.push(v);
    return this.variables.length - 1;
  }

  addCost(index: number, cost: number): void {
    this.variables[index]!.cost += cost;
  }

  /** lb <= Σ coef·x <= ub; a row without terms is dropped (it is a fact, not a choice). */
  row(name: string, terms: [number, number][], lb: number, ub: number): void {
    const merged = new Map<number, number>();
    for (const [j, a] of terms) merged.set(j, (merged.get(j) ?? 0) + a);
    const clean = [...merged].filter(([, a]) => a !== 0);
    if (clean.length > 0) this.constraints.push({ name, terms: clean, lb, ub, ...(this.level ? { level: this.level } : {}) });
  }

  model(): MilpModel {
    return { variables: this.variables, constraints: this.constraints };
  }
}
