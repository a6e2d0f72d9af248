import { localMillis } from './calendar.ts';
import { checkPlan } from './check/index.ts';
import { elsewhereId, isElsewhere } from './rules/rest-elsewhere.ts';
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
 * member's work. A violation counts as a clash when it names work elsewhere, or when work elsewhere
 * brings it (a violation the plan's pool shifts do not have alone); the rest of the plan was checked
 * when it was solved.
 */
export interface PoolCheckInput {
  request: ScheduleRequest;
  /** The pool's members as they are now (a plan solved on an older snapshot may have taken one now away). */
  members: Assistant[];
  /** The plan's shifts: only those a pool member takes are read. */
  shifts: PlannedShift[];
  /** The pool's current bookings; this schedule's own are left out by the caller. */
  bookings: ExternalBooking[];
}

/** Rules about one person's time: the ones a member's work in several ordninger can break together. */
export const PERSON_TIME_RULES = new Set(['no-overlap', 'daily-rest', 'weekly-rest', 'max-hours-per-day', 'max-hours-per-week', 'average-weekly-hours', 'night-work', 'sunday-rest']);

/** Every cross-ordning violation the plan's pool shifts would make with the pool's current bookings. */
export function poolClashes({ request, members, shifts, bookings }: PoolCheckInput): Violation[] {
  const { request: withMembers, options } = withPool(request, members, bookings);
  const poolIds = options.poolIds!;
  const poolShifts = poolShiftsOf(shifts, poolIds);
  if (poolShifts.length === 0) return [];
  const params = ruleParameters(request.rules.profile, request.rules.overrides);
  const elsewhere = options.externalBookings!;
  const check = (externalBookings: ExternalBooking[]) => checkPlan({ request: withMembers, params, shifts: poolShifts, externalBookings }).filter((v) => poolIds.has(v.assistantId));
  // What the shifts here do not break alone: every violation naming work elsewhere, and those work
  // elsewhere brings within this plan's own shifts (Sundays or nights elsewhere shorten the week).
  const aloneViolations = check([]);
  const alone = new Set(aloneViolations.map(violationKey));
  const direct = check(elsewhere).filter((v) => !alone.has(violationKey(v)));
  // A member's record as it is now: made unavailable, or without a skill, after the plan's snapshot of the pool.
  const record = aloneViolations.filter((v) => MEMBER_RECORD_RULES.has(v.rule));
  return [...direct, ...record, ...madeWorseElsewhere(withMembers, params, poolShifts, elsewhere)];
}

/** Rules that read a member's record (`members` as they are now), not their work elsewhere. */
const MEMBER_RECORD_RULES = new Set(['availability', 'skills']);

/** Where a booking stands, for a member's record to be read against it. */
export interface BookedIn { zone: string; skills: string[] }

/**
 * A member's bookings that their record would break: inside a spell given as unavailable (read in
 * the zone of the ordning that booked it), or on a need asking a skill the record lacks. Each comes
 * with the field that breaks it; such a record is set only once those plans re-planned.
 */
export function bookingsBrokenBy(member: Assistant, bookings: ExternalBooking[], bookedIn: (b: ExternalBooking) => BookedIn): { path: string; detail: string; booking: ExternalBooking }[] {
  const mine = bookings.filter((b) => b.assistantId === member.id);
  const away = member.unavailable.flatMap((u, spell) =>
    mine
      .filter((b) => Date.parse(b.start) < localMillis(u.end, bookedIn(b).zone) && Date.parse(b.end) > localMillis(u.start, bookedIn(b).zone))
      .map((booking) => ({ path: `unavailable.${spell}`, detail: '', booking })),
  );
  const unskilled = mine.flatMap((booking) => {
    const lacks = bookedIn(booking).skills.filter((k) => !member.skills.includes(k));
    return lacks.length ? [{ path: 'skills', detail: `, which asks for ${lacks.join(', ')}`, booking }] : [];
  });
  return [...away, ...unskilled];
}

/**
 * Work here can break a rule in a stretch that holds only work elsewhere: a Saturday evening or a
 * night shift here makes the member work Sundays or nights, and their 40 h week in other ordninger
 * becomes over the 38 h such a week allows. The checker leaves windows without a shift of this
 * plan to the plans that hold them, so here every booking of the plan's pool members is read as
 * planned work, with and without this plan's shifts, and what only the plan's shifts bring is a clash.
 */
function madeWorseElsewhere(request: ScheduleRequest, params: ReturnType<typeof ruleParameters>, poolShifts: PlannedShift[], elsewhere: ExternalBooking[]): Violation[] {
  const mine = new Set(poolShifts.flatMap((s) => s.assistantIds));
  const theirs: PlannedShift[] = elsewhere
    .filter((b) => mine.has(b.assistantId))
    .map((b) => ({ id: elsewhereId(b), needId: b.shiftId, start: b.start, end: b.end, hours: (Date.parse(b.end) - Date.parse(b.start)) / 3_600_000, kind: b.kind, assistantIds: [b.assistantId], sources: ['pool'] }));
  if (theirs.length === 0) return [];
  const personal = (shifts: PlannedShift[]) => checkPlan({ request, params, shifts }).filter((v) => PERSON_TIME_RULES.has(v.rule) && mine.has(v.assistantId));
  const before = new Set(personal(theirs).map(violationKey));
  // Violations naming a shift of this plan are the direct check's; these are the ones elsewhere only.
  return personal([...theirs, ...poolShifts]).filter((v) => v.shiftIds.every(isElsewhere) && !before.has(violationKey(v)));
}

/** One violation as text: the same rule, person and shifts give the same key, in any order of the shifts. */
export const violationKey = (v: Violation) => `${v.rule} ${v.assistantId} ${[...v.shiftIds].sort().join(' ')}`;

/** The pool members a clash names: the ones whose shifts in this plan are re-planned. */
export const clashingMembers = (clashes: Violation[]): Set<string> => new Set(clashes.map((v) => v.assistantId));

/** The plan's shifts with only their pool members on them (the rest of the plan is not the pool's business). */
function poolShiftsOf(shifts: PlannedShift[], poolIds: Set<string>): PlannedShift[] {
  return shifts.flatMap((s) => {
    const keep = s.assistantIds.map((a, i) => ({ a, src: s.sources[i]! })).filter(({ a }) => poolIds.has(a));
    return keep.length ? [{ ...s, assistantIds: keep.map((k) => k.a), sources: keep.map((k) => k.src) }] : [];
  });
}
