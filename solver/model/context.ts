import { HOUR } from '../calendar.ts';
import type { Assistant, ScheduleRequest } from '../request.ts';
import type { RuleParameters } from '../rules/parameters.ts';
import type { ShiftInstance } from '../normalise.ts';
import type { HourLimits, RestHours } from '../rules/rest-elsewhere.ts';
import type { ModelBuilder } from './builder.ts';

/**
 * A piece of an assistant's work as the rules see it: a shift they may get (`v` is its variable)
 * or work that is already fixed (`v` undefined): a pinned-in-the-past week or a pool booking.
 */
export interface WorkItem {
  shiftId: string;
  start: number;
  end: number;
  kind: 'active' | 'passive';
  v?: number;
  /** Work in another ordning: the rest owed next to it, the stricter of the two ordninger's (rules/rest-elsewhere.ts). */
  rest?: RestHours;
  /** Work in another ordning: the hour limits it was planned with. */
  limits?: HourLimits;
}

export interface ModelContext {
  request: ScheduleRequest;
  params: RuleParameters;
  builder: ModelBuilder;
  shifts: ShiftInstance[];
  assistants: Assistant[];
  /** Each assistant's possible and fixed work, sorted by start. */
  work: Map<string, WorkItem[]>;
  /** Time span the plan covers (epoch ms). */
  span: { start: number; end: number };
  /** Rolling horizon: the time span whose weekly/averaged rules this model is responsible for. */
  window: { start: number; end: number };
  /** Sunday/holiday periods overlapping the plan. */
  sundayPeriods: { start: number; end: number; label: string }[];
  indicators: Map<string, number | boolean>;
  /** How each indicator variable reads from the assignments alone (for evaluating a plan without trusting helpers). */
  derived: Map<number, (x: number[]) => boolean>;
}

export { HOUR };

export function overlapHours(item: { start: number; end: number }, from: number, to: number): number {
  return Math.max(0, Math.min(item.end, to) - Math.max(item.start, from)) / HOUR;
}

/**
 * Σ coef·item <= ub over a mix of variable and fixed items: fixed items move to the right-hand side.
 * Rows that can never bind (all items at 1 still within ub) are skipped to keep the model small.
 */
export function limitRow(ctx: ModelContext, name: string, terms: { item: WorkItem; coef: number }[], ub: number): void {
  let fixed = 0;
  let worst = 0;
  const vars: [number, number][] = [];
  for (const { item, coef } of terms) {
    if (item.v === undefined) fixed += coef;
    else {
      vars.push([item.v, coef]);
      worst += Math.max(0, coef);
    }
  }
  if (vars.length === 0 || fixed + worst <= ub + 1e-9) return;
  // Fixed work already over the limit is not this plan's doing: it may only add nothing more.
  ctx.builder.row(name, vars, -Infinity, Math.max(0, ub - fixed));
}
