import { DateTime } from 'luxon';
import { couldTake } from './check/trial.ts';
import { planSchedule } from './plan.ts';
import { setting } from './setting.ts';
import type { Assistant, ScheduleRequest, SickLeaveRequest } from './request.ts';
import type { Candidate, Change, ExternalBooking, PlannedShift, ProgressReport, ScheduleResult, Source } from './result.ts';
import { ms } from './check/input.ts';
import { POOL_KNOWN, withPool } from './pool.ts';

export interface SickLeaveInput {
  request: ScheduleRequest;
  previous: ScheduleResult;
  sick: SickLeaveRequest;
  /** Sick leave reported before on this schedule: those assistants stay away too. */
  earlier?: SickLeaveRequest[];
  /** Pool members who may step in (the team's own assistants are never drawn from here); one may be the one reported sick. */
  pool: Assistant[];
  /** Pool members' bookings in other ordninger (and other schedules). */
  bookings: ExternalBooking[];
  onProgress?: ProgressReport;
  stop?: AbortSignal;
}


/** The sick interval in epoch ms, read in the ordning's zone. */
export function sickInterval(request: ScheduleRequest, sick: SickLeaveRequest): { from: number; to: number } {
  const zone = request.ordning.timezone;
  return { from: DateTime.fromISO(sick.from, { zone }).toMillis(), to: DateTime.fromISO(sick.to, { zone }).toMillis() };
}

/** Assistants as a re-plan sees them, the team's and the pool's: everyone reported sick so far is away for their interval. */
function away(assistants: Assistant[], input: SickLeaveInput): Assistant[] {
  const reports = [...(input.earlier ?? []), input.sick];
  return assistants.map((a) => ({ ...a, unavailable: [...a.unavailable, ...reports.filter((s) => s.assistantId === a.id).map((s) => ({ start: s.from, end: s.to }))] }));
}

/**
 * Keep every assignment outside the sick leave (and every pin), free the sick assistant's shifts
 * inside it, and refill them from the team first and the pool second, within every rule, counting
 * what pool members work elsewhere.
 */
export async function replanSickLeave(input: SickLeaveInput): Promise<ScheduleResult> {
  const { previous, sick } = input;
  const { from, to } = sickInterval(input.request, sick);
  const known = new Set(previous.shifts.flatMap((s) => s.assistantIds));
  const { request, options } = withPool({ ...input.request, assistants: away(input.request.assistants, input) }, away(input.pool, input), input.bookings, known);
  const poolIds = options.poolIds!;
  const hourCost = options.hourCost!;
  const bookings = options.externalBookings!;
  const freed = previous.shifts.filter((s) => s.assistantIds.includes(sick.assistantId) && ms(s.start) < to && ms(s.end) > from);
  const freedIds = new Set(freed.map((s) => s.id));
  const keep = previous.shifts.flatMap((s) => s.assistantIds.filter((a) => !(freedIds.has(s.id) && a === sick.assistantId)).map((assistantId) => ({ assistantId, shiftId: s.id })));
  const result = await planSchedule(request, { ...options, keep, open: freedIds, onProgress: input.onProgress, stop: input.stop });
  const sourceOf = (id: string): Source => (poolIds.has(id) ? 'pool' : 'team');
  const changes: Change[] = freed.flatMap((before): Change[] => {
    const after = result.shifts.find((s) => s.id === before.id)!;
    const added = after.assistantIds.filter((a) => !before.assistantIds.includes(a));
    return added.length ? added.map((a) => ({ shiftId: before.id, removed: sick.assistantId, added: a, source: sourceOf(a) })) : [{ shiftId: before.id, removed: sick.assistantId, added: null, source: null }];
  });
  return { ...result, version: previous.version + 1, changes, candidates: rankCandidates(request, result, freed, bookings, sourceOf, hourCost) };
}

/** For each freed shift, everyone else the checker lets take it in the new plan, cheapest first, with what it costs. */
function rankCandidates(request: ScheduleRequest, result: ScheduleResult, freed: PlannedShift[], bookings: ExternalBooking[], sourceOf: (id: string) => Source, hourCost: Map<string, number>) {
  const { params } = setting(request);
  const hoursOf = new Map(result.assistants.map((a) => [a.id, a]));
  return freed.map((shift) => {
    const now = result.shifts.find((s) => s.id === shift.id)!;
    const candidates: Candidate[] = request.assistants
      .filter((a) => !now.assistantIds.includes(a.id))
      .filter((a) => couldTake(request, params, result.shifts, shift.id, a.id, bookings))
      .map((a) => {
        const summary = hoursOf.get(a.id);
        const over = Math.max(0, (summary?.deviationHours ?? 0) + shift.hours);
        const cost = Math.round(((hourCost.get(a.id) ?? 0) * shift.hours + over) * 100) / 100;
        const note = sourceOf(a.id) === 'pool' ? (hourCost.get(a.id) === POOL_KNOWN ? 'pool, has worked here' : 'pool') : over > 0 ? `team, ${over} h over contract` : 'team, within contract';
        return { assistantId: a.id, source: sourceOf(a.id), cost, note };
      })
      .sort((x, y) => x.cost - y.cost || x.assistantId.localeCompare(y.assistantId));
    return { shiftId: shift.id, candidates };
  });
}
