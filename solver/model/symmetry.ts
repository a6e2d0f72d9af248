import type { Assignment } from './build.ts';
import type { ModelContext } from './context.ts';
import type { ObjectiveOptions } from './objective.ts';
import { append } from '../lists.ts';

/**
 * Assistants the model cannot tell apart: the same position, skills, unavailability, wishes, target
 * and price, no fixed work (bookings elsewhere, kept or earlier weeks) and no pins. Any plan with two
 * of them swapped is as legal and scores the same on every level, so requiring each group's hours to
 * fall in id order loses no plan's value and spares the engine its mirror images. Compared
 * conservatively (as written, not as meant): two assistants whose lists differ only in order count
 * as different, which costs a missed group, never a lost plan.
 */
export function identicalGroups(ctx: ModelContext, objective: ObjectiveOptions): string[][] {
  const pinned = new Set(ctx.request.pinned.map((p) => p.assistantId));
  const groups = new Map<string, string[]>();
  for (const a of ctx.assistants) {
    if (pinned.has(a.id) || ctx.work.get(a.id)!.some((w) => w.v === undefined)) continue;
    const key = JSON.stringify([a.positionPercent, a.skills, a.unavailable, a.preferences, objective.targets.get(a.id) ?? null, objective.hourCost?.get(a.id) ?? null]);
    append(groups, key, a.id);
  }
  return [...groups.values()].filter((g) => g.length > 1).map((g) => g.sort());
}

/** hours(first) >= hours(second) >= ... within each group, in id order. */
export function breakSymmetry(ctx: ModelContext, groups: string[][]): void {
  const hours = new Map(ctx.shifts.map((s) => [s.id, s.hours]));
  const terms = (id: string, sign: number): [number, number][] => ctx.work.get(id)!.map((w) => [w.v!, sign * hours.get(w.shiftId)!]);
  for (const g of groups)
    for (let i = 0; i + 1 < g.length; i++) ctx.builder.row(`symmetry:${g[i]}:${g[i + 1]}`, [...terms(g[i]!, 1), ...terms(g[i + 1]!, -1)], 0, Infinity);
}

/**
 * The same plan with whole schedules handed round within each group so that it keeps the order
 * above (most hours to the first id): a start plan the model accepts.
 */
export function inGroupOrder(groups: string[][], plan: Assignment[], hoursOf: (shiftId: string) => number): Assignment[] {
  const rename = new Map<string, string>();
  for (const g of groups) {
    const hours = (id: string) => plan.reduce((t, a) => t + (a.assistantId === id ? hoursOf(a.shiftId) : 0), 0);
    const byHours = g.map((id) => ({ id, h: hours(id) })).sort((x, y) => y.h - x.h || (x.id < y.id ? -1 : 1));
    byHours.forEach(({ id }, i) => rename.set(id, g[i]!));
  }
  return plan.map((a) => (rename.has(a.assistantId) ? { ...a, assistantId: rename.get(a.assistantId)! } : a));
}
