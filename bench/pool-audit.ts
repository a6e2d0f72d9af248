import { checkPlan, ruleParameters, ScheduleRequestSchema, type ScheduleRequestInput } from '../solver/index.ts';
import type { ExternalBooking, PlannedShift, ScheduleResult } from '../solver/result.ts';
import { append } from '../solver/lists.ts';
import type { RuleParameters } from '../solver/rules/parameters.ts';

/**
 * An audit of a shared pool from the stored plans alone, written apart from the service: each
 * pool member's work across every ordning, checked for double bookings, daily rest, hours in any
 * 7 days summed across ordninger and the weekly rest of each calendar week. It reads clock times
 * only, with the strictest parameters of the plans involved. The weekly limit is the shorter one
 * (maxHoursPerWeekWithNight) for a member with a night shift (over 3 h between 21:00 and 06:00) or
 * work in at least a third of the Sunday periods (Saturday 18:00 to Sunday 22:00, AML §10-10,
 * §10-4(4)); `weekStarts` are the plans' local Mondays 00:00 (one shared offset: winter weeks).
 */
export interface StoredPlan { scheduleId: string; request: ScheduleRequestInput; result: ScheduleResult }

interface Work { ordningId: string; shiftId: string; start: number; end: number }

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;

export function auditPool(plans: StoredPlan[], weekStarts: number[]): string[] {
  const params = plans.map((p) => p.result.compliance.parameters);
  const dailyRest = Math.max(...params.map((p) => p.minDailyRestHours)) * HOUR;
  const weeklyRest = Math.max(...params.map((p) => p.minWeeklyRestHours)) * HOUR;
  const weekHours = Math.min(...params.map((p) => p.maxHoursPerWeek));
  const shorterWeekHours = Math.min(...params.map((p) => p.maxHoursPerWeekWithNight));
  const problems: string[] = [];
  for (const [member, work] of poolWork(plans)) {
    const limit = shorterWeek(work, weekStarts) ? shorterWeekHours : weekHours;
    for (let i = 1; i < work.length; i++) {
      const [x, y] = [work[i - 1]!, work[i]!];
      if (y.start < x.end) problems.push(`${member} double-booked: ${x.ordningId}/${x.shiftId} and ${y.ordningId}/${y.shiftId}`);
      else if (y.start - x.end < dailyRest) problems.push(`${member} rests ${(y.start - x.end) / HOUR} h between ${x.ordningId}/${x.shiftId} and ${y.ordningId}/${y.shiftId}`);
    }
    for (const w of work) {
      const hours = work.reduce((t, v) => t + Math.max(0, Math.min(v.end, w.start + WEEK) - Math.max(v.start, w.start)) / HOUR, 0);
      if (hours > limit + 1e-6) problems.push(`${member} works ${hours} h in the 7 days from ${new Date(w.start).toISOString()}, limit ${limit} h across ordninger`);
    }
    for (const from of weekStarts) {
      let free = from;
      let longest = 0;
      for (const w of work.filter((v) => v.end > from && v.start < from + WEEK)) {
        longest = Math.max(longest, w.start - free);
        free = Math.max(free, w.end);
      }
      longest = Math.max(longest, from + WEEK - free);
      if (longest < weeklyRest) problems.push(`${member} rests at most ${longest / HOUR} h in the week from ${new Date(from).toISOString()}`);
    }
  }
  return problems;
}

/** The solver's own checker on each plan, with the other plans' pool shifts as work elsewhere. */
export function checkEachPlan(plans: StoredPlan[]): string[] {
  return plans.flatMap((p) => {
    const request = ScheduleRequestSchema.parse(p.request);
    const params = ruleParameters(request.rules.profile, request.rules.overrides);
    const elsewhere = plans.filter((o) => o !== p).flatMap((o) => bookingsOf(o));
    const members = [...new Set([...bookingsOf(p), ...elsewhere].map((b) => b.assistantId))].filter((m) => !request.assistants.some((a) => a.id === m));
    const withMembers = { ...request, assistants: [...request.assistants, ...members.map((id) => ({ id, positionPercent: 0, skills: [], unavailable: [], preferences: [] }))] };
    return checkPlan({ request: withMembers, params, shifts: p.result.shifts, externalBookings: elsewhere }).map((v) => `${p.request.ordning.id}: ${v.rule} ${v.assistantId} ${v.shiftIds.join(' ')}: ${v.detail}`);
  });
}

function bookingsOf(plan: StoredPlan): ExternalBooking[] {
  return plan.result.shifts.flatMap((s: PlannedShift) =>
    s.assistantIds.filter((_, i) => s.sources[i] === 'pool').map((assistantId) => ({ assistantId, ordningId: plan.request.ordning.id, scheduleId: plan.scheduleId, shiftId: s.id, start: s.start, end: s.end, kind: s.kind, ...elsewhereParameters(plan.result.compliance.parameters) })),
  );
}

const overlap = (w: Work, from: number, to: number) => Math.max(0, Math.min(w.end, to) - Math.max(w.start, from));

/** Night work, or work in at least a third of the Sunday periods: the week's limit is the shorter one. */
function shorterWeek(work: Work[], weekStarts: number[]): boolean {
  const night = work.some((w) => {
    let hours = 0;
    for (let day = weekStarts[0]! - 24 * HOUR; day < w.end; day += 24 * HOUR) hours += overlap(w, day + 21 * HOUR, day + 30 * HOUR) / HOUR;
    return hours > 3;
  });
  const sundays = weekStarts.map((monday) => [monday + (5 * 24 + 18) * HOUR, monday + (6 * 24 + 22) * HOUR] as const);
  const worked = sundays.filter(([from, to]) => work.some((w) => overlap(w, from, to) > 0)).length;
  return night || worked >= sundays.length / 3;
}

function poolWork(plans: StoredPlan[]): Map<string, Work[]> {
  const out = new Map<string, Work[]>();
  for (const p of plans)
    for (const s of p.result.shifts)
      s.assistantIds.forEach((a, i) => {
        if (s.sources[i] !== 'pool') return;
        append(out, a, { ordningId: p.request.ordning.id, shiftId: s.id, start: Date.parse(s.start), end: Date.parse(s.end) });
      });
  for (const list of out.values()) list.sort((x, y) => x.start - y.start);
  return out;
}

/** Pool members booked in more than one ordning: the figure that shows the pool was shared at all. */
export const sharedMembers = (plans: StoredPlan[]): number => [...poolWork(plans).values()].filter((w) => new Set(w.map((v) => v.ordningId)).size > 1).length;

/** The rest and hour limits a plan was made with, as its pool bookings carry them (src/pool/optimistic.ts poolBookings). */
const elsewhereParameters = ({ minDailyRestHours, minWeeklyRestHours, maxHoursPerDay, maxHoursPerWeek, maxHoursPerWeekWithNight }: RuleParameters) =>
  ({ minDailyRestHours, minWeeklyRestHours, maxHoursPerDay, maxHoursPerWeek, maxHoursPerWeekWithNight });
