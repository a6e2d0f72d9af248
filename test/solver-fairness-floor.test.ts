import fc from 'fast-check';
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

  it('counts whole shifts for each member alone too: 22.5 h is 1.5 h from the nearest 8 h multiple', () => {
    const floor = fairnessFloor([member(0, 22.5)], 1, choices.slice(0, 5), byId);
    expect(floor.largest).toBeCloseTo(1.5 / 22.5, 6);
    expect(floor.largest).toBeLessThanOrEqual(1.5 / 22.5); // three shifts (24 h) reach it
    expect(floor.total).toBeCloseTo(1.5, 6);
    // Where the shorter week may apply (22.5 or 20.25 h), the nearer of the two: 24 h against 22.5.
    const open = fairnessFloor([{ ...member(0, 22.5), week: 3 }], 0.9, choices.slice(0, 5), byId);
    expect(open.largest).toBeCloseTo(1.5 / 22.5, 6);
    // No more hours than the shifts open to them: one shift (8 h) against 22.5.
    const few = fairnessFloor([{ ...member(0, 22.5), hours: [[0, 8]] }], 1, choices.slice(0, 1), byId);
    expect(few.largest).toBeCloseTo(14.5 / 22.5, 6);
  });

  it('counts fixed work above every target as a deviation too', () => {
    const over = { ...member(0, 10), fixed: 24, hours: [] };
    const floor = fairnessFloor([over], 1, [], byId);
    expect(floor.total).toBeCloseTo(14, 6);
    expect(floor.largest).toBeCloseTo(1.4, 6);
  });
});


describe('the fairness floor against every plan of a tiny ordning', () => {
  it('is never above the best plan found by trying them all (up to 6 shifts, 1-2 members)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(4, 7, 7.5, 8, 9), { minLength: 1, maxLength: 6 }),
        fc.array(fc.record({ full: fc.integer({ min: 1, max: 60 }), fixed: fc.constantFrom(0, 8) }), { minLength: 1, maxLength: 2 }),
        (hours, people) => {
          const ids = hours.map((_, i) => `s${i}`);
          const shifts = new Map(ids.map((id, i) => [id, { id, hours: hours[i]!, headcount: 1 } as unknown as ShiftInstance]));
          const v = (k: number, i: number) => k * hours.length + i;
          const planned = people.map((p, k) => ({ full: p.full, fixed: p.fixed, week: false as const, hours: hours.map((h, i): [number, number] => [v(k, i), h]) }));
          const picks = people.flatMap((_, k) => ids.map((shiftId, i) => ({ assistantId: `a${k}`, shiftId, v: v(k, i) })));
          const floor = fairnessFloor(planned, 1, picks, shifts);
          // Every plan: each shift to nobody or to one member.
          let best = { largest: Infinity, total: Infinity };
          for (let code = 0; code < (people.length + 1) ** hours.length; code++) {
            const worked = people.map((p) => p.fixed);
            for (let i = 0, c = code; i < hours.length; i++, c = Math.floor(c / (people.length + 1))) if (c % (people.length + 1) > 0) worked[(c % (people.length + 1)) - 1]! += hours[i]!;
            const off = people.map((p, k) => Math.abs(worked[k]! - p.full));
            best = { largest: Math.min(best.largest, Math.max(...off.map((o, k) => o / people[k]!.full))), total: Math.min(best.total, off.reduce((t, o) => t + o, 0)) };
          }
          expect(floor.largest).toBeLessThanOrEqual(best.largest + 1e-9);
          expect(floor.total).toBeLessThanOrEqual(best.total + 1e-9);
        },
      ),
      { numRuns: 300 },
    );
  });
});
