import { checkPlan } from './check/index.ts';
import { isElsewhere } from './rules/rest-elsewhere.ts';
import { ruleParameters } from './rules/profiles.ts';
import { withPool } from './pool.ts';
import type { Assistant, ScheduleRequest } from './request.ts';
import type { ExternalBooking, PlannedShift, Violation } from './result.ts';

/**
 * The check behind booking a plan's pool shifts against the pool as it is NOW, not as it was when
 * the plan was solved (solves run on a snapshot; docs/adr/0007-optimistic-pool-bookings.md).
 *
 * It is the checker's own verdict (solver/check/), on the pool members' shifts of this plan beside
 * their current bookings in other schedules: every rule that spans ordninger (overlap, daily and
 * weekly rest, hours per day and week, average hours, night work, Sundays) counts all of a
 * member's work. A violation counts as a clash only when it names work elsewhere; the rest of the
 * plan was checked when it was solved.
 */
export interface PoolCheckInput {
  request: ScheduleRequest;
  /** The pool's members (as the plan was solved with them). */
  members: Assistant[];
  /** The plan's shifts: only those a pool member takes are read. */
  shifts: PlannedShift[];
  /** The pool's current bookings; this schedule's own are left out by the caller. */
  bookings: ExternalBooking[];
}

/** Every cross-ordning violation the plan's pool shifts would make with the pool's current bookings. */
export function poolClashes({ request, members, shifts, bookings }: PoolCheckInput): Violation[] {
  const { request: withMembers, options } = withPool(request, members, bookings);
  const poolIds = options.poolIds!;
  const poolShifts = poolShiftsOf(shifts, poolIds);
  if (poolShifts.length === 0) return [];
  const params = ruleParameters(request.rules.profile, request.rules.overrides);
  return checkPlan({ request: withMembers, params, shifts: poolShifts, externalBookings: options.externalBookings })
    .filter((v) => poolIds.has(v.assistantId) && v.shiftIds.some(isElsewhere));
}

/** The pool members a clash names: the ones whose shifts in this plan are re-planned. */
export const clashingMembers = (clashes: Violation[]): Set<string> => new Set(clashes.map((v) => v.assistantId));

/** The plan's shifts with only their pool members on them (the rest of the plan is not the pool's business). */
function poolShiftsOf(shifts: PlannedShift[], poolIds: Set<string>): PlannedShift[] {
  return shifts.flatMap((s) => {
    const keep = s.assistantIds.map((a, i) => ({ a, src: s.sources[i]! })).filter(({ a }) => poolIds.has(a));
    return keep.length ? [{ ...s, assistantIds: keep.map((k) => k.a), sources: keep.map((k) => k.src) }] : [];
  });
}
