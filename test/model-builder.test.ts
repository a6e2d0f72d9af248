import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModelBuilder } from '../solver/model/builder.ts';

/** A row's terms as the builder used to merge them: a Map per row, in order of first appearance, zeros left out. */
function mergedByMap(terms: [number, number][]): [number, number][] {
  const merged = new Map<number, number>();
  for (const [j, a] of terms) merged.set(j, (merged.get(j) ?? 0) + a);
  return [...merged].filter(([, a]) => a !== 0);
}

const term = fc.tuple(fc.integer({ min: 0, max: 12 }), fc.constantFrom(-2, -1, -0.5, 0, 0.5, 1, 2, 8));

describe('model rows', () => {
  it('sum each variable\'s terms in order of first appearance and leave out zeros, row after row', () => {
    fc.assert(
      fc.property(fc.array(fc.array(term, { maxLength: 12 }), { maxLength: 8 }), (rows) => {
        const builder = new ModelBuilder();
        rows.forEach((terms, i) => builder.row(`r${i}`, terms, -Infinity, 1));
        const kept = rows.map(mergedByMap).filter((t) => t.length > 0);
        expect(builder.constraints.map((c) => c.terms)).toEqual(kept);
      }),
    );
  });

  it('mark rows that only define a level', () => {
    const builder = new ModelBuilder();
    builder.forLevel('fairness', () => builder.row('f', [[0, 1]], 0, 1));
    builder.row('r', [[0, 1], [1, 1], [0, -1]], 0, 1);
    expect(builder.constraints).toEqual([
      { name: 'f', terms: [[0, 1]], lb: 0, ub: 1, level: 'fairness' },
      { name: 'r', terms: [[1, 1]], lb: 0, ub: 1 },
    ]);
  });
});
