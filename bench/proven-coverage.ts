import { solveMilp } from '../solver/engines/index.ts';
import { buildModel } from '../solver/model/build.ts';
import type { ScheduleRequest, ScheduleResult } from '../solver/index.ts';
import { setting } from '../solver/setting.ts';

export const PRIORITIES = ['essential', 'important', 'optional'] as const;
export type Priority = (typeof PRIORITIES)[number];
export type Covered = Record<Priority, number>;

/** Clock hours covered per priority, read from a plan's shifts. */
export function coveredHours(request: ScheduleRequest, result: ScheduleResult): Covered {
  const priority = new Map(request.needs.map((n) => [n.id, n.priority]));
  const out: Covered = { essential: 0, important: 0, optional: 0 };
  for (const s of result.shifts) out[priority.get(s.needId)!] += s.hours * s.assistantIds.length;
  return out;
}

/**
 * The most coverage any plan within the rule book's model reaches, proven by HiGHS solves of its own
 * with gap 0, priority after priority, each from scratch with the ones before held at their maximum.
 * Nothing of the planner's level loop, start plans or warm starts is used, so it checks them.
 * Null when HiGHS cannot prove it in time.
 */
export async function provenCoverage(request: ScheduleRequest, timeLimitMs = 60_000): Promise<Covered | null> {
  const set = setting(request);
  const built = buildModel({ request, params: set.params, shifts: set.shifts, fixed: new Map(), window: set.span, span: set.span, sundayPeriods: set.sundayPeriods, objective: { balance: false, targets: set.targets } });
  const shift = new Map(set.shifts.map((s) => [s.id, s]));
  const terms = (p: Priority): [number, number][] => built.choices.filter((c) => shift.get(c.shiftId)!.priority === p).map((c) => [c.v, shift.get(c.shiftId)!.hours]);
  const out: Covered = { essential: 0, important: 0, optional: 0 };
  const held = [...built.model.constraints];
  for (const p of PRIORITIES) {
    const variables = built.model.variables.map((v) => ({ ...v, cost: 0 }));
    for (const [j, h] of terms(p)) variables[j]!.cost = -h;
    const s = await solveMilp({ variables, constraints: held }, { engine: 'highs', timeLimitMs, relativeGap: 0 });
    if (s.status !== 'optimal' || !s.values) return null;
    out[p] = terms(p).reduce((t, [j, h]) => t + h * Math.round(s.values![j]!), 0);
    held.push({ name: `max:${p}`, terms: terms(p), lb: out[p] - 1e-6, ub: Infinity });
  }
  return out;
}
