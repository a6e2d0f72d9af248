import { vedtakFrame, vedtakHours } from './budget.ts';
import { whatStops } from './check/trial.ts';
import type { Setting } from './plan.ts';
import type { ExternalBooking, PlannedShift, Unfilled } from './result.ts';

export interface Gaps {
  unfilled: Unfilled[];
  /** Shifts someone could legally take, left open because the vedtak had no hours left. */
  dropped: string[];
}

/**
 * Why each open place is open, in words the arbeidsleder can act on: try every assistant not on
 * the shift in the finished plan and let the independent checker name what stops them.
 */
export function explainGaps(set: Setting, shifts: PlannedShift[], external: ExternalBooking[]): Gaps {
  const { request, params } = set;
  const capLeft = vedtakFrame(request).periodCap - shifts.reduce((t, s) => t + vedtakHours(s.hours, s.kind, request) * s.assistantIds.length, 0);
  const needs = new Map(request.needs.map((n) => [n.id, n]));
  const unfilled: Unfilled[] = [];
  const dropped: string[] = [];
  for (const shift of shifts) {
    const missing = (needs.get(shift.needId)?.assistants ?? 0) - shift.assistantIds.length;
    if (missing <= 0) continue;
    const tries = request.assistants
      .filter((a) => !shift.assistantIds.includes(a.id))
      .map((a) => ({ id: a.id, blocking: whatStops(request, params, shifts, a.id, shift, external) }))
      .sort((x, y) => x.blocking.length - y.blocking.length);
    const free = tries.filter((t) => t.blocking.length === 0);
    if (free.length > 0 && capLeft < vedtakHours(shift.hours, shift.kind, request) - 1e-6) {
      dropped.push(shift.id);
      continue;
    }
    unfilled.push({ shiftId: shift.id, missing, reason: reason(free.map((t) => t.id), tries[0]) });
  }
  return { unfilled, dropped };
}

function reason(free: string[], closest: { id: string; blocking: { rule: string; detail: string }[] } | undefined): string {
  if (free.length > 0) return `left open within the solver's time limit; ${free.slice(0, 3).join(', ')} could take it`;
  if (!closest) return 'no assistant in the plan';
  const first = closest.blocking[0]!;
  return `no assistant free without breaking a rule; closest is ${closest.id}: ${first.rule} (${first.detail})`;
}
