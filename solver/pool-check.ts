import { localMillis } from './calendar.ts';
import { checkPlan, checkRules } from './check/index.ts';
import { append } from './lists.ts';
import { elsewhereId, isElsewhere } from './rules/rest-elsewhere.ts';
import { RULES } from './rules/index.ts';
import { ruleParameters } from './rules/profiles.ts';
import { withPool } from './pool.ts';
import type { Assistant, ScheduleRequest } from './request.ts';
import type { ExternalBooking, PlannedShift, Violation } from './result.ts';
import type { RuleParameters } from './rules/parameters.ts';

/**
 * The check behind booking a plan's pool shifts against the pool as it is NOW, not as it was when
 * the plan was solved (solves run on a snapshot; docs/adr/0007-optimistic-pool-bookings.md).
 *
 * It is the checker's own verdict (solver/check/), on the pool members' shifts of this plan beside
 * their current bookings in other schedules: every rule that spans ordninger (overlap, daily and
 * weekly rest, hours per day and week, average hours, night work, Sundays) counts all of a
 * member's work. A violation counts as a clash when it names work elsewhere, or when work elsewhere
 * brings it (a violation the plan's pool shifts do not have alone), or when another ordning's own
 * rules find it in the member's work there; the rest of the plan was checked when it was solved.
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
const PERSON_TIME = RULES.filter((r) => PERSON_TIME_RULES.has(r.name));

/**
 * A clash, and whether the solver keeps clear of it once the member's shifts are re-planned. It
 * cannot where the clash lies in work elsewhere only, or where another ordning's rules find it
 * (its own limit averaged over weeks, say): the member is then kept off the shifts they had.
 */
export type PoolClash = Violation & { unseen?: true };

/** Every cross-ordning violation the plan's pool shifts would make with the pool's current bookings. */
export function poolClashes({ request, members, shifts, bookings }: PoolCheckInput): PoolClash[] {
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
  const ours = new Set(direct.map(violationKey));
  const unseen = [...madeWorseElsewhere(withMembers, params, poolShifts, elsewhere), ...asTheirChecksSee(withMembers, poolShifts, elsewhere)];
  return [...direct, ...record, ...unseen.filter((v) => !ours.has(violationKey(v))).map((v): PoolClash => ({ ...v, unseen: true }))];
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
function madeWorseElsewhere(request: ScheduleRequest, params: RuleParameters, poolShifts: PlannedShift[], elsewhere: ExternalBooking[]): Violation[] {
  const mine = new Set(poolShifts.flatMap((s) => s.assistantIds));
  const theirs = elsewhere.filter((b) => mine.has(b.assistantId)).map((b) => asShift(b, elsewhereId(b)));
  if (theirs.length === 0) return [];
  const personal = (shifts: PlannedShift[]) => naming(checkRules({ request, params, shifts }, PERSON_TIME), mine);
  const before = new Set(personal(theirs).map(violationKey));
  // Violations naming a shift of this plan are the direct check's; these are the ones elsewhere only.
  return personal([...theirs, ...poolShifts]).filter((v) => v.shiftIds.every(isElsewhere) && !before.has(violationKey(v)));
}

/**
 * Each ordning that booked the plan's pool members checks their work by its own rules, in its own
 * zone and period, whenever it plans again. What that check would find only with this plan's shifts
 * is a clash here, though this plan's rules allow it: a limit averaged over weeks, or on night work,
 * that ordning holds stricter. An ordning that plans as this one does (zone, period and rules) finds
 * nothing the checks above do not, and is not asked.
 */
function asTheirChecksSee(request: ScheduleRequest, poolShifts: PlannedShift[], elsewhere: ExternalBooking[]): Violation[] {
  const mine = new Set(poolShifts.flatMap((s) => s.assistantIds));
  const ours = poolShiftBookings(request, '', poolShifts);
  const ourIds = new Map(ours.map((b) => [elsewhereId(b), b.shiftId]));
  const frame = bookedBy(request);
  const ownParams = ruleParameters(frame.rules.profile, frame.rules.overrides);
  const bySchedule = new Map<string, ExternalBooking[]>();
  for (const b of elsewhere) if (b.bookedBy && mine.has(b.assistantId)) append(bySchedule, b.scheduleId, b);
  return [...bySchedule.values()].flatMap((theirs) => {
    const { ordningId, scheduleId } = theirs[0]!;
    const { timezone, period, rules } = theirs[0]!.bookedBy!;
    const params = ruleParameters(rules.profile, rules.overrides);
    if (timezone === frame.timezone && period.start === frame.period.start && period.weeks === frame.period.weeks && sameParameters(params, ownParams)) return [];
    const their: ScheduleRequest = { ...request, ordning: { ...request.ordning, id: ordningId, timezone }, period, rules };
    const shifts = theirs.map((b) => asShift(b, b.shiftId));
    const others = elsewhere.filter((b) => b.scheduleId !== scheduleId && mine.has(b.assistantId));
    const check = (externalBookings: ExternalBooking[]) => naming(checkRules({ request: their, params, shifts, externalBookings }, PERSON_TIME), mine);
    const before = new Set(check(others).map(violationKey));
    // Named as this plan names shifts: its own by their ids, that ordning's as work elsewhere.
    const named = (id: string) => ourIds.get(id) ?? (isElsewhere(id) ? id : elsewhereId({ ordningId, shiftId: id }));
    return check([...others, ...ours]).filter((v) => !before.has(violationKey(v))).map((v) => ({ ...v, shiftIds: v.shiftIds.map(named) }));
  });
}

type BookedBy = NonNullable<ExternalBooking['bookedBy']>;
const sameParameters = (x: RuleParameters, y: RuleParameters) => (Object.keys(x) as (keyof RuleParameters)[]).every((k) => x[k] === y[k]);

/** The violations that name one of `members`. */
const naming = (violations: Violation[], members: Set<string>) => violations.filter((v) => members.has(v.assistantId));

/** A booking read as a shift of a plan, under the id given. */
const asShift = (b: ExternalBooking, id: string): PlannedShift => ({
  id, needId: b.shiftId, start: b.start, end: b.end, hours: (Date.parse(b.end) - Date.parse(b.start)) / 3_600_000, kind: b.kind, assistantIds: [b.assistantId], sources: ['pool'],
});

/**
 * A plan's pool shifts as bookings the other ordninger's plans must respect, each with the rest and
 * hour limits this ordning planned with (theirs may be stricter, never weaker: rules/rest-elsewhere.ts)
 * and how it plans (zone, period, rules), for their checks to read the member's work as this ordning's own will.
 */
export function poolShiftBookings(request: ScheduleRequest, scheduleId: string, shifts: PlannedShift[]): ExternalBooking[] {
  const { minDailyRestHours, minWeeklyRestHours, maxHoursPerDay, maxHoursPerWeek, maxHoursPerWeekWithNight } = ruleParameters(request.rules.profile, request.rules.overrides);
  const by = bookedBy(request);
  return shifts.flatMap((s) =>
    s.assistantIds
      .filter((_, i) => s.sources[i] === 'pool')
      .map((assistantId) => ({ assistantId, ordningId: request.ordning.id, scheduleId, shiftId: s.id, start: s.start, end: s.end, kind: s.kind, minDailyRestHours, minWeeklyRestHours, maxHoursPerDay, maxHoursPerWeek, maxHoursPerWeekWithNight, bookedBy: by })),
  );
}

/** How an ordning plans, as its bookings carry it. */
const bookedBy = (request: ScheduleRequest): BookedBy => ({
  timezone: request.ordning.timezone,
  period: { start: request.period.start, weeks: request.period.weeks },
  rules: { profile: request.rules.profile, overrides: { ...request.rules.overrides } },
});

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
