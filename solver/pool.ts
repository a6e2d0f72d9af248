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

/** At most this much per hour is added to a new pool member's cost by an ordning's own preference. */
export const PREFERENCE_SPAN = 0.5;

/**
 * Pool members who cost the same, each ordning preferring them in an order of its own (a stable hash
 * of ordning and member, under PREFERENCE_SPAN per hour; never below a member the user knows): first
 * plans solved at once on one snapshot of the pool then reach for different members and clash less
 * at booking time (docs/adr/0007-optimistic-pool-bookings.md).
 */
export function withOrdningPreference(ordningId: string, hourCost: Map<string, number>): Map<string, number> {
  return new Map([...hourCost].map(([id, cost]) => [id, cost === POOL_NEW ? cost + (fnv1a(`${ordningId}\u0000${id}`) % 1000) / 1000 * PREFERENCE_SPAN : cost]));
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
