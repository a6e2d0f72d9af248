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

  /** lb <= Σ coef·x <= ub, a variable's terms summed; a row without terms is dropped (it is a fact, not a choice). */
  row(name: string, terms: [number, number][], lb: number, ub: number): void {
    const clean = this.merged(terms);
    if (clean.length === 0) return;
    this.constraints.push(this.level ? { name, terms: clean, lb, ub, level: this.level } : { name, terms: clean, lb, ub });
  }

  // Where a variable's term stands in the row being merged, valid while its stamp is the row's:
  // one array for all rows instead of a Map per row (rows are most of what a model allocates).
  private stamp = 0;
  private readonly stampOf: number[] = [];
  private readonly at: number[] = [];

  /** The terms in order of first appearance, each variable's coefficients summed, zeros left out. */
  private merged(terms: [number, number][]): [number, number][] {
    const stamp = ++this.stamp;
    const out: [number, number][] = [];
    for (let k = 0; k < terms.length; k++) {
      const term = terms[k]!;
      const j = term[0];
      const a = term[1];
      if (this.stampOf[j] === stamp) out[this.at[j]!]![1] += a;
      else {
        this.stampOf[j] = stamp;
        this.at[j] = out.length;
        out.push([j, a]);
      }
    }
    let kept = 0;
    for (const term of out) if (term[1] !== 0) out[kept++] = term;
    out.length = kept;
    return out;
  }

  model(): MilpModel {
    return { variables: this.variables, constraints: this.constraints };
  }
}
