import type { ScheduleRequest } from './request.ts';
import type { ScheduleResult } from './result.ts';

/**
 * Copies the request's display fields into a result: each shift gets its need's `label`, each
 * assistant summary its `name`. They never reach the model or a rule: ids plan, names only show.
 */
export function withDisplayFields(result: ScheduleResult, request: Pick<ScheduleRequest, 'needs' | 'assistants'>): ScheduleResult {
  const labels = new Map(request.needs.flatMap((n) => (n.label ? [[n.id, n.label] as const] : [])));
  const names = new Map(request.assistants.flatMap((a) => (a.name ? [[a.id, a.name] as const] : [])));
  if (labels.size === 0 && names.size === 0) return result;
  return {
    ...result,
    shifts: result.shifts.map((s) => (labels.has(s.needId) ? { ...s, label: labels.get(s.needId) } : s)),
    assistants: result.assistants.map((a) => (names.has(a.id) ? { ...a, name: names.get(a.id) } : a)),
  };
}
