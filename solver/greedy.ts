import { capRule, vedtakHours } from './budget.ts';
import { whatStops } from './check/trial.ts';
import type { Assignment } from './model/build.ts';
import type { Setting } from './setting.ts';
import type { ExternalBooking, PlannedShift } from './result.ts';

const RANK = { essential: 0, important: 1, optional: 2 } as const;

/**
 * A quick legal plan to start the solver from: shifts by priority and time, each place to the
 * assistant furthest below their contract hours whom the checker lets take it. HiGHS finds
 * optimal coverage readily but is slow to find a first good plan on tight turnus models.
 */
export function greedyPlan(set: Setting, keep: Assignment[], external: ExternalBooking[], open?: Set<string>): Assignment[] {
  const { request, params } = set;
  const byId = new Map(set.shifts.map((s) => [s.id, s]));
  const mine = new Map<string, PlannedShift[]>(request.assistants.map((a) => [a.id, []]));
  const hours = new Map<string, number>();
  const planned = (s: (typeof set.shifts)[number], id: string): PlannedShift => ({ id: s.id, needId: s.needId, start: s.startIso, end: s.endIso, hours: s.hours, kind: s.kind, assistantIds: [id], sources: ['team'] });
  const rule = capRule(request);
  let capLeft = rule.kind === 'total' ? rule.cap : 0;
  // Hours the frame counts: all of them, or (soft frame too small for essential care) all but essential.
  const counts = (s: (typeof set.shifts)[number]) => rule.kind === 'total' || s.priority !== 'essential';
  const out: Assignment[] = [];
  const take = (a: Assignment) => {
    const s = byId.get(a.shiftId);
    if (!s) return;
    mine.get(a.assistantId)?.push(planned(s, a.assistantId));
    hours.set(a.assistantId, (hours.get(a.assistantId) ?? 0) + s.hours);
    if (counts(s)) capLeft -= vedtakHours(s.hours, s.kind, request);
    out.push(a);
  };
  keep.forEach(take);
  // Pins are part of any plan the solver may start from.
  const pins = request.pinned
    .map((p) => ({ assistantId: p.assistantId, shiftId: `${p.needId}@${p.date}` }))
    .filter((p) => (!open || open.has(p.shiftId)) && !keep.some((k) => k.assistantId === p.assistantId && k.shiftId === p.shiftId));
  pins.forEach(take);
  const order = set.shifts.filter((s) => !open || open.has(s.id)).sort((x, y) => RANK[x.priority] - RANK[y.priority] || x.start - y.start);
  for (const s of order) {
    const cost = counts(s) ? vedtakHours(s.hours, s.kind, request) : 0;
    let filled = out.filter((a) => a.shiftId === s.id).length;
    while (filled < s.headcount && capLeft >= cost - 1e-9) {
      const pick = request.assistants
        .filter((a) => set.targets.has(a.id) && !out.some((o) => o.shiftId === s.id && o.assistantId === a.id))
        .map((a) => ({ id: a.id, room: ((set.targets.get(a.id) ?? 0) - (hours.get(a.id) ?? 0)) / Math.max(1, set.targets.get(a.id) ?? 0) }))
        .sort((x, y) => y.room - x.room)
        .find(({ id }) => whatStops(request, params, mine.get(id)!, id, planned(s, id), external).length === 0);
      if (!pick) break;
      take({ assistantId: pick.id, shiftId: s.id });
      filled++;
    }
  }
  return out.filter((a) => !keep.includes(a));
}
