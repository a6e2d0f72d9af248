import type { ScheduleRequest } from '../request.ts';
import type { RuleParameters } from '../rules/parameters.ts';
import type { ExternalBooking, PlannedShift, Violation } from '../result.ts';
import { checkPlan } from './index.ts';

/** Rules about the whole plan rather than one person's time; they never stop one assistant alone. */
const PLAN_WIDE = new Set(['vedtak-cap', 'coverage', 'pinned']);

/**
 * What would stop `assistantId` from also taking `shift`, given their other shifts in `shifts` and
 * their bookings elsewhere: the checker's own verdict on that one person's trial plan.
 */
export function whatStops(request: ScheduleRequest, params: RuleParameters, shifts: PlannedShift[], assistantId: string, shift: PlannedShift, bookings: ExternalBooking[]): Violation[] {
  const mine = shifts.filter((s) => s.id !== shift.id && s.assistantIds.includes(assistantId)).map((s) => ({ ...s, assistantIds: [assistantId], sources: [] }));
  const trial = [...mine, { ...shift, assistantIds: [assistantId], sources: [] }];
  return checkPlan({ request, params, shifts: trial, externalBookings: bookings.filter((b) => b.assistantId === assistantId) }).filter((v) => !PLAN_WIDE.has(v.rule));
}

/**
 * Whether the whole plan, with `assistantId` added to `shiftId`, passes every rule of the checker:
 * the test behind any "could take it" said to a user.
 */
export function couldTake(request: ScheduleRequest, params: RuleParameters, shifts: PlannedShift[], shiftId: string, assistantId: string, bookings: ExternalBooking[]): boolean {
  const trial = shifts.map((s) => (s.id === shiftId ? { ...s, assistantIds: [...s.assistantIds, assistantId], sources: [...s.sources, 'team' as const] } : s));
  return checkPlan({ request, params, shifts: trial, externalBookings: bookings }).length === 0;
}
