import { describe, expect, it } from 'vitest';
import { fairnessFloor } from '../solver/model/objective.ts';
import type { ShiftInstance } from '../solver/normalise.ts';

/** Five 8 h weekday shifts, one place each, open to both assistants (variables 0-4 and 5-9). */
const days = ['mon', 'tue', 'wed', 'thu', 'fri'];
const byId = new Map(days.map((d) => [d, { id: d, hours: 8, headcount: 1 } as unknown as ShiftInstance]));
const choices = ['a', 'b'].flatMap((a, k) => days.map((d, i) => ({ assistantId: a, shiftId: d, v: k * 5 + i })));
const member = (k: number, full = 37.5) => ({ full, fixed: 0, week: false, hours: days.map((_, i): [number, number] => [k * 5 + i, 8]) });

describe('the fairness floor, proven without the engine', () => {
  it('counts whole shifts: two full-time assistants and five 8 h shifts cannot both come closer than 2 shifts (16 of 37.5 h)', () => {
    const floor = fairnessFloor([member(0), member(1)], 1, choices, byId);
    // Hours alone would allow 1 - 40/75 = 0.467 for both; in whole shifts one of them has at most 2.
    expect(floor.largest).toBeCloseTo(1 - 16 / 37.5, 6);
    expect(floor.largest).toBeLessThanOrEqual(1 - 16 / 37.5); // a floor: never above the best plan (2 + 3 shifts)
    expect(floor.total).toBeCloseTo(75 - 40, 6);
  });

  it('is 0 when the targets fit: one assistant of 16 h and five shifts', () => {
    const floor = fairnessFloor([member(0, 16)], 1, choices.slice(0, 5), byId);
    expect(floor).toEqual({ largest: 0, total: 0 });
  });

  it('takes the shorter week where it may apply: the least the targets can be', () => {
    const open = { ...member(0), week: 3 }; // an indicator: the shorter week may or may not apply
    const floor = fairnessFloor([open, member(1)], 0.9, choices, byId);
    expect(floor.total).toBeCloseTo(37.5 * 0.9 + 37.5 - 40, 6);
    // The open one's least target (33.75 h) with 2 shifts, the other with 3.
    expect(floor.largest).toBeCloseTo(1 - 16 / 33.75, 6);
  });

  it('counts fixed work above every target as a deviation too', () => {
    const over = { ...member(0, 10), fixed: 24, hours: [] };
    const floor = fairnessFloor([over], 1, [], byId);
    expect(floor.total).toBeCloseTo(14, 6);
    expect(floor.largest).toBeCloseTo(1.4, 6);
  });
});
