import { PREFERENCE_SPAN, withOrdningPreference, withPool } from './pool.ts';
import type { Assistant, ScheduleRequest } from './request.ts';
import type { ExternalBooking } from './result.ts';
import { setting } from './setting.ts';

/**
 * Claims: first plans solved side by side on one snapshot of a pool reach for the same free
 * members and clash when they book (docs/adr/0007-optimistic-pool-bookings.md). A solve in flight
 * therefore claims the members it is likely to take, and a solve that starts meanwhile prices
 * those members a little higher, so it reaches for others first. A claim only moves the pool-cost
 * level (the last): coverage, fairness, spread and wishes never give way to it.
 */

/** Added per hour to a member another solve in flight has claimed: above every unclaimed new member, below none the user knows. */
export const CLAIMED = PREFERENCE_SPAN;

/**
 * A member's room (weekly hours left in the period) overstates what they can take here: one shift
 * a day, rest between, and only the days the team leaves open. So a solve claims members whose
 * room covers this many times the hours its team cannot. Measured on 100 pairs of the pool bench's
 * ordninger solved side by side (`npm run bench -- --claims`, bench/claims.ts, five pools of 30):
 * clashes 29 without claims, 20 with a margin of 1, 15 with 2, 11 with 3, 11 with 4.
 */
export const CLAIM_MARGIN = 3;

/**
 * The pool members a first plan will most likely take: its cheapest members (in its own price
 * order, `hourCost`) who have room in its period by the snapshot's bookings, leaving out those
 * `taken` by solves in flight, until their room covers `margin` times the hours its team cannot.
 */
export function likelyPicks(request: ScheduleRequest, members: Assistant[], bookings: ExternalBooking[], hourCost: Map<string, number>, taken: Set<string>, margin = CLAIM_MARGIN): string[] {
  const set = setting(request);
  const needed = set.shifts.reduce((t, s) => t + s.hours * s.headcount, 0);
  const team = [...set.targets.values()].reduce((t, h) => t + h, 0);
  let wanted = (needed - team) * margin;
  if (wanted <= 0) return [];
  const weekly = set.params.averageWeeklyHours ?? set.params.maxHoursPerWeek;
  const booked = bookedHours(bookings, set.span);
  const picks: string[] = [];
  const order = members.filter((m) => hourCost.has(m.id) && !taken.has(m.id)).sort((a, b) => hourCost.get(a.id)! - hourCost.get(b.id)! || (a.id < b.id ? -1 : 1));
  for (const m of order) {
    const room = weekly * request.period.weeks - (booked.get(m.id) ?? 0);
    if (room <= 0) continue;
    picks.push(m.id);
    wanted -= room;
    if (wanted <= 0) break;
  }
  return picks;
}

/** What a first plan claims: its likely picks at the prices its solve uses (src/planner/task.ts). */
export function firstPlanClaim(request: ScheduleRequest, members: Assistant[], bookings: ExternalBooking[], taken: Set<string>, margin = CLAIM_MARGIN): string[] {
  const { options } = withPool(request, members, bookings);
  return likelyPicks(request, members, bookings, withOrdningPreference(request.ordning.id, options.hourCost!), taken, margin);
}

/** Each member's booked hours inside the period. */
function bookedHours(bookings: ExternalBooking[], span: { start: number; end: number }): Map<string, number> {
  const out = new Map<string, number>();
  for (const b of bookings) {
    const hours = (Math.min(Date.parse(b.end), span.end) - Math.max(Date.parse(b.start), span.start)) / 3_600_000;
    if (hours > 0) out.set(b.assistantId, (out.get(b.assistantId) ?? 0) + hours);
  }
  return out;
}

/** The price list with members claimed by other solves in flight made dearer by CLAIMED per hour. */
export function withClaims(hourCost: Map<string, number>, claimed: Iterable<string>): Map<string, number> {
  const out = new Map(hourCost);
  for (const id of claimed) if (out.has(id)) out.set(id, out.get(id)! + CLAIMED);
  return out;
}
