import type { Assistant, ScheduleRequest } from '../request.ts';
import type { ShiftInstance } from '../normalise.ts';
import type { RuleParameters } from '../rules/parameters.ts';
import { RULES } from '../rules/index.ts';
import type { MilpModel } from '../engines/types.ts';
import { ModelBuilder } from './builder.ts';
import type { ModelContext, WorkItem } from './context.ts';
import { breakSymmetry, identicalGroups, inGroupOrder } from './symmetry.ts';
import { levelExpressions, type LevelExpressions, type ObjectiveOptions } from './objective.ts';

export interface Assignment { assistantId: string; shiftId: string }

export interface BuildInput {
  request: ScheduleRequest;
  params: RuleParameters;
  shifts: ShiftInstance[];
  /** Work each assistant already has that this model may not change. */
  fixed: Map<string, WorkItem[]>;
  /** Shifts this model decides; the rest are outside its window. Default: all. */
  open?: Set<string>;
  window: { start: number; end: number };
  span: { start: number; end: number };
  sundayPeriods: ModelContext['sundayPeriods'];
  objective: ObjectiveOptions;
  /** Order the hours of assistants the model cannot tell apart (solver/model/symmetry.ts). */
  breakSymmetry?: boolean;
}

export interface BuiltModel {
  model: MilpModel;
  choices: (Assignment & { v: number })[];
  ctx: ModelContext;
  /** The score's levels over this model's variables (solver/levels.ts); the model's own costs are 0. */
  levels: LevelExpressions;
  /** Assistants whose hours the model keeps in id order (symmetry.ts): a start plan must too. */
  symmetric: string[][];
}

/** Variables only where a rule does not already exclude the pair on its own. */
function eligible(a: Assistant, s: ShiftInstance, ctx: ModelContext): boolean {
  return RULES.every((rule) => !rule.eligible || rule.eligible(a, s, ctx));
}

export function buildModel(input: BuildInput): BuiltModel {
  const builder = new ModelBuilder();
  const work = new Map<string, WorkItem[]>(input.request.assistants.map((a) => [a.id, [...(input.fixed.get(a.id) ?? [])]]));
  const ctx: ModelContext = {
    request: input.request,
    params: input.params,
    builder,
    shifts: input.shifts,
    assistants: input.request.assistants,
    work,
    span: input.span,
    window: input.window,
    sundayPeriods: input.sundayPeriods,
    indicators: new Map(),
    derived: new Map(),
  };
  const choices: BuiltModel['choices'] = [];
  for (const s of input.shifts) {
    if (input.open && !input.open.has(s.id)) continue;
    for (const a of input.request.assistants) {
      if ((input.fixed.get(a.id) ?? []).some((w) => w.shiftId === s.id) || !eligible(a, s, ctx)) continue;
      const v = builder.binary(`x:${a.id}:${s.id}`);
      work.get(a.id)!.push({ shiftId: s.id, start: s.start, end: s.end, kind: s.kind, v });
      choices.push({ assistantId: a.id, shiftId: s.id, v });
    }
  }
  for (const items of work.values()) items.sort((x, y) => x.start - y.start || x.end - y.end);
  for (const rule of RULES) rule.constrain?.(ctx);
  const symmetric = input.breakSymmetry ? identicalGroups(ctx, input.objective) : [];
  breakSymmetry(ctx, symmetric);
  const levels = levelExpressions(ctx, choices, input.objective);
  return { model: builder.model(), choices, ctx, levels, symmetric };
}

/** A solution vector for a plan given as assignments: its choices at 1, everything else 0. */
export function valuesOf(built: BuiltModel, assignments: Assignment[]): number[] {
  const hours = new Map(built.ctx.shifts.map((s) => [s.id, s.hours]));
  const chosen = new Set(inGroupOrder(built.symmetric, assignments, (id) => hours.get(id) ?? 0).map((a) => `${a.assistantId}|${a.shiftId}`));
  const x = new Array<number>(built.model.variables.length).fill(0);
  for (const c of built.choices) if (chosen.has(`${c.assistantId}|${c.shiftId}`)) x[c.v] = 1;
  return x;
}

/** The assignments a solution chooses. */
export function assignmentsOf(built: BuiltModel, values: number[]): Assignment[] {
  return built.choices.filter((c) => values[c.v]! > 0.5).map(({ assistantId, shiftId }) => ({ assistantId, shiftId }));
}
