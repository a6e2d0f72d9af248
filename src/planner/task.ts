import { planSchedule, withClaims, withOrdningPreference, withPool, type Assistant, type ScheduleRequest, type SickLeaveRequest } from '../../solver/index.ts';
import type { ExternalBooking, ProgressReport, ScheduleResult } from '../../solver/result.ts';
import { applyPendingReports } from '../sick-leave.ts';

/** One solve, as plain data: what a planner thread is sent (structured-cloned). */
export type PlannerTask =
  /** `claimed`: members other first plans in flight have claimed (solver/pool-claims.ts), priced a little higher. */
  | { kind: 'plan'; request: ScheduleRequest; members: Assistant[]; bookings: ExternalBooking[]; claimed?: string[] }
  | { kind: 'replan'; request: ScheduleRequest; latest: ScheduleResult; applied: number; reports: SickLeaveRequest[]; members: Assistant[]; bookings: ExternalBooking[] }
  /** A first plan whose pool bookings clashed at booking time: `free` members' shifts re-planned, the rest kept. */
  | { kind: 'repair'; request: ScheduleRequest; plan: ScheduleResult; free: string[]; members: Assistant[]; bookings: ExternalBooking[]; claimed?: string[] };

/** What the task may take: the request's limit for a first plan, once per pending report for re-plans. */
export function taskTimeLimitMs(task: PlannerTask): number {
  const steps = task.kind !== 'replan' ? 1 : Math.max(1, task.reports.length - task.applied);
  return task.request.solver.timeLimitSeconds * 1000 * steps;
}

/** Runs a task: in a planner thread in the service, directly in tests of the solve itself. */
export function runTask(task: PlannerTask, onProgress: ProgressReport, stop?: AbortSignal): Promise<ScheduleResult> {
  if (task.kind === 'replan') {
    const { request, latest, applied, reports, members, bookings } = task;
    return applyPendingReports({ request, latest, applied, reports, pool: members, bookings, onProgress, stop });
  }
  if (task.kind === 'repair') return repairPlan(task, onProgress, stop);
  const { request, options } = pooled(task);
  return planSchedule(request, { ...options, onProgress, stop });
}

/** A first plan's request with the pool's members beside the team, each priced in this ordning's own order, claimed ones higher. */
function pooled(task: { request: ScheduleRequest; members: Assistant[]; bookings: ExternalBooking[]; claimed?: string[] }) {
  const { request, options } = withPool(task.request, task.members, task.bookings);
  return { request, options: { ...options, hourCost: withClaims(withOrdningPreference(request.ordning.id, options.hourCost!), task.claimed ?? []) } };
}

/**
 * Keeps every assignment but the clashing pool members', and plans the shifts they leave open
 * against the pool's fresh bookings (they may take back what is still legal for them).
 */
function repairPlan(task: Extract<PlannerTask, { kind: 'repair' }>, onProgress: ProgressReport, stop?: AbortSignal): Promise<ScheduleResult> {
  const free = new Set(task.free);
  const { request, options } = pooled(task);
  const keep = task.plan.shifts.flatMap((s) => s.assistantIds.filter((a) => !free.has(a)).map((assistantId) => ({ assistantId, shiftId: s.id })));
  const open = new Set(task.plan.shifts.filter((s) => s.assistantIds.some((a) => free.has(a))).map((s) => s.id));
  return planSchedule(request, { ...options, keep, open, onProgress, stop });
}
