import { replanSickLeave } from '../solver/index.ts';
import type { Assistant, ScheduleRequest, SickLeaveRequest } from '../solver/request.ts';
import type { Change, ExternalBooking, ProgressReport, ScheduleResult } from '../solver/result.ts';

export interface PendingReports {
  request: ScheduleRequest;
  /** The latest saved version, and how many of `reports` it already includes. */
  latest: ScheduleResult;
  applied: number;
  /** Every report of the schedule, in the order they were accepted. */
  reports: SickLeaveRequest[];
  pool: Assistant[];
  bookings: ExternalBooking[];
  onProgress?: ProgressReport;
  stop?: AbortSignal;
}

/**
 * Every report the latest version lacks, applied one after another on top of it, each with every
 * report before it as leave: reports accepted while another re-plan ran are all in the next version,
 * and nobody reported sick is planned back into their interval.
 */
export async function applyPendingReports(input: PendingReports): Promise<ScheduleResult> {
  const pending = input.reports.length - input.applied;
  const steps: ScheduleResult[] = [];
  for (let k = 0; k < pending; k++) {
    const i = input.applied + k;
    const onProgress: ProgressReport = (fraction, phase) => input.onProgress?.((k + fraction) / pending, phase);
    const previous = steps.at(-1) ?? input.latest;
    steps.push(await replanSickLeave({ request: input.request, previous, sick: input.reports[i]!, earlier: input.reports.slice(0, i), pool: input.pool, bookings: input.bookings, onProgress, stop: input.stop }));
  }
  const result = steps.at(-1) ?? input.latest;
  // One report: the re-plan's own changes and candidates. Several: changes against the latest
  // saved version (what a reader compares with), and each freed shift's most recent ranking.
  if (steps.length <= 1) return result;
  const candidates = new Map(steps.flatMap((s) => s.candidates ?? []).map((c) => [c.shiftId, c]));
  return { ...result, changes: changesSince(input.latest, result), candidates: [...candidates.values()] };
}

/** Per shift, who left and who came between two versions, paired in order. */
export function changesSince(before: ScheduleResult, after: ScheduleResult): Change[] {
  const was = new Map(before.shifts.map((s) => [s.id, s.assistantIds]));
  return after.shifts.flatMap((s) => {
    const earlier = was.get(s.id) ?? [];
    const removed = earlier.filter((a) => !s.assistantIds.includes(a));
    const added = s.assistantIds.flatMap((a, i) => (earlier.includes(a) ? [] : [{ a, source: s.sources[i] ?? null }]));
    return Array.from({ length: Math.max(removed.length, added.length) }, (_, k) => ({ shiftId: s.id, removed: removed[k] ?? null, added: added[k]?.a ?? null, source: added[k]?.source ?? null }));
  });
}
