import type { Assistant, ScheduleRequest } from './request.ts';
import type { ExternalBooking } from './result.ts';
import type { PlanOptions } from './plan.ts';

/** Extra cost per hour: the team first, then pool members the user already knows, then the rest. */
export const POOL_KNOWN = 3;
export const POOL_NEW = 5;

/**
 * A request with the pool's members beside the team (never replacing a team member of the same id),
 * and the plan options that mark them as pool, price them, and count their work elsewhere.
 */
export function withPool(request: ScheduleRequest, pool: Assistant[], bookings: ExternalBooking[], known = new Set<string>()): { request: ScheduleRequest; options: Pick<PlanOptions, 'poolIds' | 'hourCost' | 'externalBookings'> } {
  const team = new Set(request.assistants.map((a) => a.id));
  const members = pool.filter((p) => !team.has(p.id));
  const poolIds = new Set(members.map((m) => m.id));
  const externalBookings = bookings.filter((b) => poolIds.has(b.assistantId));
  return {
    request: { ...request, assistants: [...request.assistants, ...members] },
    options: { poolIds, hourCost: new Map(members.map((m) => [m.id, known.has(m.id) ? POOL_KNOWN : POOL_NEW])), externalBookings },
  };
}
