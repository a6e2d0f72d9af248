import type { ExternalBooking } from '../../solver/result.ts';

const at = (iso: string) => Date.parse(iso);

/** True when a new booking overlaps, or lies within `restMs` of, another schedule's booking of the same person. */
export function clashes(existing: ExternalBooking[], incoming: ExternalBooking[], scheduleId: string, restMs: number): boolean {
  return incoming.some((n) =>
    existing.some((e) => e.scheduleId !== scheduleId && e.assistantId === n.assistantId && at(n.start) < at(e.end) + restMs && at(e.start) < at(n.end) + restMs),
  );
}
