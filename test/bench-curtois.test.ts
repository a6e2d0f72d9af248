import { afterAll, describe, expect, it } from 'vitest';
import { shutdownEngines } from '../solver/engines/index.ts';
import { emptyRoster, hardViolations, score } from '../bench/curtois/evaluate.ts';
import { loadInstance } from '../bench/curtois/parse.ts';
import { runInstance } from '../bench/curtois/run.ts';

afterAll(() => shutdownEngines());

describe('Curtois & Qu importer and evaluator', () => {
  it('reads the instances as the README sizes them', () => {
    const one = loadInstance(1);
    expect([one.horizon, one.staff.length, one.shifts.length]).toEqual([14, 8, 1]);
    const eight = loadInstance(8);
    expect([eight.horizon, eight.staff.length, eight.shifts.length]).toEqual([28, 30, 4]);
    expect(one.staff[0]).toMatchObject({ id: 'A', maxShifts: { D: 14 }, maxMinutes: 4320, minMinutes: 3360, maxConsecutive: 5, minConsecutive: 2, minDaysOff: 2, maxWeekends: 1 });
  });

  it('scores the empty roster of Instance1 at 7137', () => {
    const inst = loadInstance(1);
    expect(score(inst, emptyRoster(inst))).toBe(7137);
  });

  it('catches hand-broken rosters', () => {
    const inst = loadInstance(1);
    const roster = emptyRoster(inst);
    roster.set('A', Array(14).fill('D')); // works day 0 (a day off), 14 days in a row, two weekends
    const found = hardViolations(inst, roster).join('\n');
    expect(found).toMatch(/A works day 0, a day off/);
    expect(found).toMatch(/14 days in a row/);
    expect(found).toMatch(/2 weekends, at most 1/);
    expect(found).toMatch(/6720 minutes outside/);
    // Giving A one on-requested shift lowers the score by its weight less nothing else.
    const one = emptyRoster(inst);
    one.get('A')![2] = 'D';
    expect(score(inst, one)).toBe(7137 - 2 - 100);
  });

  it('HiGHS solves Instance1 to the known optimum 607 with a legal roster', async () => {
    const row = await runInstance(1, 'highs', 60_000);
    expect(row.violations).toBe(0);
    expect(row.score).toBe(607);
    expect(row.mismatch).toBe(false);
  }, 90_000);
});
