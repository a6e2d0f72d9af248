import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { checkPlan, planSchedule, ruleParameters, shutdownEngines } from '../solver/index.ts';
import { requestArb, toRequest } from './helpers/arbitraries.ts';

afterAll(() => shutdownEngines());

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(0.05 * Math.max(1, xs(a, b)));
const xs = (a: number, b: number) => Math.max(1, Math.abs(a), Math.abs(b)) / 100;

it('every plan passes the checker, stays within the vedtak and its hours add up', async () => {
  await fc.assert(
    fc.asyncProperty(requestArb, async (r) => {
      const request = toRequest(r, { timeLimitSeconds: 4, relativeGap: 0.01, engine: 'highs' });
      const result = await planSchedule(request);
      // Legal, by the independent checker run again here, not only by the plan's own report.
      expect(result.compliance.violations).toEqual([]);
      expect(checkPlan({ request, params: ruleParameters(request.rules.profile), shifts: result.shifts })).toEqual([]);
      const b = result.budget;
      // Within the frame, or (soft frame too small for the essential care) essential care only, reported.
      const priority = new Map(request.needs.map((n) => [n.id, n.priority]));
      if (b.plannedHours > b.vedtakHoursInPeriod + 0.01) {
        expect(result.shifts.filter((s) => priority.get(s.needId) !== 'essential' && s.assistantIds.length > 0)).toEqual([]);
        expect(b.overforbruk?.periodHours).toBeCloseTo(b.plannedHours - b.vedtakHoursInPeriod, 1);
      }
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
