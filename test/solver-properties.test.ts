import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { checkPlan, planSchedule, ruleParameters, ScheduleRequestSchema, shutdownEngines } from '../solver/index.ts';
import { WEEK } from './helpers/plan.ts';

afterAll(() => shutdownEngines());

const clock = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 30)).map(([h, m]) => `${String(h).padStart(2, '0')}:${m ? '30' : '00'}`);
const need = (i: number) =>
  fc.record({
    id: fc.constant(`n${i}`),
    days: fc.subarray([...WEEK], { minLength: 1 }),
    start: clock,
    end: clock,
    assistants: fc.integer({ min: 1, max: 2 }),
    kind: fc.constantFrom('active', 'passive'),
    priority: fc.constantFrom('essential', 'important', 'optional'),
  }).filter((n) => n.start !== n.end);

const requestArb = fc.record({
  needs: fc.tuple(need(0), need(1), need(2)).map((ns) => ns.slice(0, 1 + (ns[0].assistants % 3))),
  assistants: fc.array(fc.integer({ min: 20, max: 100 }), { minLength: 2, maxLength: 4 }).map((ps) => ps.map((p, i) => ({ id: `a${i}`, positionPercent: p }))),
  weeks: fc.integer({ min: 1, max: 2 }),
  start: fc.constantFrom('2027-01-04', '2027-03-22', '2027-10-25', '2027-12-20'),
  hoursPerWeek: fc.integer({ min: 10, max: 120 }),
  profile: fc.constantFrom('aml', 'aml-average', 'bpa-tariff'),
  factor: fc.constantFrom(1, 0.5),
});

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(0.05 * Math.max(1, xs(a, b)));
const xs = (a: number, b: number) => Math.max(1, Math.abs(a), Math.abs(b)) / 100;

it('every plan passes the checker, stays within the vedtak and its hours add up', async () => {
  await fc.assert(
    fc.asyncProperty(requestArb, async (r) => {
      const request = ScheduleRequestSchema.parse({
        ordning: { id: 'o', vedtak: { hoursPerWeek: r.hoursPerWeek, year: 2027, passiveHoursFactor: r.factor } },
        period: { start: r.start, weeks: r.weeks },
        rules: { profile: r.profile },
        needs: r.needs,
        assistants: r.assistants,
        solver: { timeLimitSeconds: 4, relativeGap: 0.01, engine: 'highs' },
      });
      const result = await planSchedule(request);
      // Legal, by the independent checker run again here, not only by the plan's own report.
      expect(result.compliance.violations).toEqual([]);
      expect(checkPlan({ request, params: ruleParameters(request.rules.profile), shifts: result.shifts })).toEqual([]);
      const b = result.budget;
      expect(b.plannedHours).toBeLessThanOrEqual(b.vedtakHoursInPeriod + 0.01);
      // No hour lost or counted twice: shifts, assistants, weeks and the budget agree.
      const factor = (k: string) => (k === 'passive' ? r.factor : 1);
      close(sum(result.shifts.map((s) => s.hours * factor(s.kind) * s.assistantIds.length)), b.plannedHours);
      close(sum(b.weeks.map((w) => w.plannedHours)), b.plannedHours);
      close(b.neededHours, b.plannedHours + b.unfilledHours);
      close(sum(result.assistants.map((a) => a.plannedHours)), sum(result.shifts.map((s) => s.hours * s.assistantIds.length)));
      close(b.balanceHours, b.vedtakHoursInPeriod - b.plannedHours);
      expect(sum(b.droppedNeeds.map((d) => d.hours))).toBeLessThanOrEqual(b.unfilledHours + 0.01);
      // Every open place is accounted for: reported unfilled or dropped for the vedtak.
      const open = result.shifts.filter((s) => s.assistantIds.length < (request.needs.find((n) => n.id === s.needId)!.assistants));
      const explained = new Set([...result.unfilled.map((u) => u.shiftId), ...b.droppedNeeds.map((d) => d.shiftId)]);
      expect(open.every((s) => explained.has(s.id))).toBe(true);
    }),
    { numRuns: 25, seed: 20271, endOnFailure: true },
  );
}, 240_000);
