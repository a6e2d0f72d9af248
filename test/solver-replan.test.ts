import { afterAll, expect, it } from 'vitest';
import { checkPlan, replanSickLeave, ruleParameters, ScheduleRequestSchema, shutdownEngines } from '../solver/index.ts';
import type { ExternalBooking } from '../solver/result.ts';
import { base, plan, WEEK } from './helpers/plan.ts';

afterAll(() => shutdownEngines());

const input = base({
  assistants: [{ id: 'a1', positionPercent: 60 }, { id: 'a2', positionPercent: 60 }],
  needs: [{ id: 'd', days: [...WEEK], start: '08:00', end: '15:00' }],
});

it('refills a sick assistant’s shifts from the team and the pool, keeping everything else', async () => {
  const { request, result: first } = await plan(input);
  const sickFrom = '2027-01-05T00:00';
  const sickTo = '2027-01-08T00:00';
  const sickId = first.shifts.find((s) => s.id === 'd@2027-01-06')!.assistantIds[0]!;
  const pool = [{ id: 'p1', positionPercent: 0, skills: [], unavailable: [], preferences: [] }];
  // p1 already works elsewhere on the 7th, too close for an 08:00 start there.
  const bookings: ExternalBooking[] = [{ assistantId: 'p1', ordningId: 'ord-9', scheduleId: 's9', shiftId: 'x', start: '2027-01-06T18:00:00+01:00', end: '2027-01-07T00:00:00+01:00', kind: 'active' }];
  const next = await replanSickLeave({ request, previous: first, sick: { assistantId: sickId, from: sickFrom, to: sickTo }, pool, bookings });

  expect(next.version).toBe(2);
  expect(next.compliance.violations).toEqual([]);
  // Nothing outside the sick leave moved.
  for (const s of first.shifts.filter((s) => s.id < 'd@2027-01-05' || s.id >= 'd@2027-01-08')) expect(next.shifts.find((n) => n.id === s.id)!.assistantIds).toEqual(s.assistantIds);
  // The sick assistant works nothing inside the interval; their shifts there appear in changes.
  const inside = next.shifts.filter((s) => s.id >= 'd@2027-01-05' && s.id < 'd@2027-01-08');
  expect(inside.every((s) => !s.assistantIds.includes(sickId))).toBe(true);
  const freed = first.shifts.filter((s) => s.assistantIds.includes(sickId) && s.id >= 'd@2027-01-05' && s.id < 'd@2027-01-08').map((s) => s.id);
  expect(next.changes!.map((c) => c.shiftId).sort()).toEqual(freed.sort());
  expect(next.changes!.every((c) => c.removed === sickId)).toBe(true);
  // p1 never takes the 7th (rest after the booking elsewhere); pool sources are marked.
  expect(next.shifts.find((s) => s.id === 'd@2027-01-07')!.assistantIds).not.toContain('p1');
  for (const s of next.shifts) s.assistantIds.forEach((a, i) => expect(s.sources[i]).toBe(a === 'p1' ? 'pool' : 'team'));
  // Legal also when the bookings elsewhere are counted by the checker.
  const full = ScheduleRequestSchema.parse({ ...input, assistants: [...input.assistants, { id: 'p1', positionPercent: 0 }] });
  expect(checkPlan({ request: full, params: ruleParameters('aml'), shifts: next.shifts, externalBookings: bookings })).toEqual([]);
  // Every freed shift lists its candidates, cheapest first.
  expect(next.candidates!.map((c) => c.shiftId).sort()).toEqual(freed.sort());
  for (const c of next.candidates!) expect(c.candidates.map((x) => x.cost)).toEqual([...c.candidates.map((x) => x.cost)].sort((a, b) => a - b));
  // The vedtak counts the refilled hours once.
  expect(next.budget.plannedHours).toBeLessThanOrEqual(first.budget.plannedHours + 0.01);
});
