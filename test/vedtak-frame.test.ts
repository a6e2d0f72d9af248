import { afterAll, describe, expect, it } from 'vitest';
import { shutdownEngines } from '../solver/index.ts';
import { base, plan, WEEK } from './helpers/plan.ts';

afterAll(() => shutdownEngines());

/** Vedtak 42 h/week in 2027 (365 days): 2190 h in the year. */
const YEAR = 2190;
const daily = (id: string, priority: 'essential' | 'optional' = 'essential') => ({ id, days: [...WEEK], start: '08:00', end: '12:00', priority });
const two = [{ id: 'a1', positionPercent: 100 }, { id: 'a2', positionPercent: 100 }];

describe('the vedtak frame of a period', () => {
  it('spreads the year’s remaining hours over its remaining weeks: a mid-year start 103 h above pro rata keeps its care', async () => {
    // 2027-06-07 is day 157 of the year: pro rata 2190 * 157 / 365 = 942 h; used 1045 h; 1145 h remain
    // over 208 days (29.714 weeks): 38.53 h a week. The old frame gave max(0, 42 - 103) = 0.
    const { result } = await plan(base({
      ordning: { id: 'o', vedtak: { hoursPerWeek: 42, year: 2027, usedHoursThisYear: 1045 } },
      period: { start: '2027-06-07', weeks: 1 },
      needs: [daily('morning')],
      assistants: two,
    }));
    const rate = (YEAR - 1045) / (208 / 7);
    expect(result.budget.vedtakHoursInPeriod).toBeCloseTo(rate, 2);
    expect(result.budget.weeks).toEqual([{ week: '2027-W23', vedtakHours: 38.53, plannedHours: 28, balanceHours: 10.53 }]);
    expect(result.budget.plannedHours).toBe(28);
    expect(result.budget.droppedNeeds).toEqual([]);
    expect(result.compliance.violations).toEqual([]);
  });

  it('takes each part of a period over New Year from its own year', async () => {
    // Week 1: 5 days of 2027 (the 30 h left spread over them: 42 h/week) and 2 of 2028 at 35 h/week;
    // week 2 all 2028. The old frame gave the January week 0 h.
    const { result } = await plan(base({
      ordning: { id: 'o', vedtak: { hoursPerWeek: 42, year: 2027, nextYearHoursPerWeek: 35 } },
      period: { start: '2027-12-27', weeks: 2 },
      needs: [daily('morning')],
      assistants: two,
    }));
    expect(result.budget.weeks.map((w: any) => [w.week, w.vedtakHours])).toEqual([['2027-W52', 40], ['2028-W01', 35]]);
    expect(result.budget.vedtakHoursInPeriod).toBe(75);
    expect(result.budget.plannedHours).toBe(56);
    expect(result.budget.droppedNeeds).toEqual([]);
  });

  it('forecasts the year from what was used, what is planned and the vedtak for the weeks after, not the period balance', async () => {
    const { result } = await plan(base({
      ordning: { id: 'o', vedtak: { hoursPerWeek: 42, year: 2027, usedHoursThisYear: 1045 } },
      period: { start: '2027-06-07', weeks: 1 },
      needs: [daily('morning')],
      assistants: two,
    }));
    // 2190 - 1045 used - 28 planned - 42 h for each of the 201 days after the period.
    const projected = YEAR - 1045 - 28 - (42 * 201) / 7;
    expect(result.budget.yearForecast).toEqual({ vedtakHours: YEAR, usedHours: 1073, projectedBalanceHours: Math.round(projected * 100) / 100 });
    expect(result.budget.yearForecast.projectedBalanceHours).not.toBeCloseTo(result.budget.balanceHours, 0);
    // 1117 h left after W23 at 42 h a week: gone in the 27th week after it, W50.
    expect(result.budget.overforbruk).toEqual({ periodHours: 0, yearHours: Math.round(-projected * 100) / 100, runsOutWeek: '2027-W50' });
  });

  it('an explicit period frame replaces the spread (saving hours)', async () => {
    const { result } = await plan(base({
      ordning: { id: 'o', vedtak: { hoursPerWeek: 42, year: 2027, periodHours: 20 } },
      period: { start: '2027-03-01', weeks: 1 },
      needs: [daily('morning', 'optional')],
      assistants: two,
    }));
    expect(result.budget.vedtakHoursInPeriod).toBe(20);
    expect(result.budget.plannedHours).toBe(20);
    expect(result.budget.weeks[0]!.vedtakHours).toBe(20);
  });
});

describe('essential care and the frame', () => {
  const tight = (capMode?: 'strict') => base({
    ordning: { id: 'o', vedtak: { hoursPerWeek: 16, year: 2027, ...(capMode ? { capMode } : {}) } },
    assistants: two,
    needs: [
      { id: 'must', dates: ['2027-01-05', '2027-01-06', '2027-01-07'], start: '08:00', end: '16:00', priority: 'essential' },
      { id: 'nice', dates: ['2027-01-08'], start: '08:00', end: '16:00', priority: 'optional' },
    ],
  });

  it('covers every essential hour past a frame too small for them, plans nothing else, and reports the overforbruk', async () => {
    const { result } = await plan(tight());
    expect(result.compliance.violations).toEqual([]);
    expect(result.shifts.filter((s) => s.needId === 'must').every((s) => s.assistantIds.length === 1)).toBe(true);
    expect(result.budget.plannedHours).toBe(24);
    expect(result.budget.balanceHours).toBe(-8);
    expect(result.budget.droppedNeeds).toEqual([{ shiftId: 'nice@2027-01-08', priority: 'optional', hours: 8 }]);
    expect(result.budget.overforbruk).toMatchObject({ periodHours: 8 });
    // The year's forecast: pro rata used before, 24 planned, 42 weeks... at 16 h: 8 h short, gone in December.
    expect(result.budget.overforbruk!.runsOutWeek).toMatch(/^2027-W5[0-2]$/);
    expect(result.solver.levels[0]).toMatchObject({ name: 'coverage-essential', value: 24 });
  });

  it('with capMode strict keeps within the frame and drops essential care to do so', async () => {
    const { result } = await plan(tight('strict'));
    expect(result.compliance.violations).toEqual([]);
    expect(result.budget.plannedHours).toBe(16);
    expect(result.budget.droppedNeeds.map((d) => d.priority)).toContain('essential');
  });
});
