import { HOUR } from '../calendar.ts';
import { DateTime } from 'luxon';
import type { ScheduleRequest } from '../request.ts';
import type { RuleParameters } from '../rules/parameters.ts';
import type { ExternalBooking, PlannedShift, Violation } from '../result.ts';
import { type HourLimits, type RestHours, elsewhereId, limitsOfBooking, restNextTo, restOfBooking } from '../rules/rest-elsewhere.ts';
import { append } from '../lists.ts';

/** What the checker reads: the request, the rules, and the plan's clock times. Nothing from a solver. */
export interface CheckInput {
  request: ScheduleRequest;
  params: RuleParameters;
  shifts: PlannedShift[];
  externalBookings?: ExternalBooking[];
}

/** A piece of one assistant's work read back from clock times. */
export interface Work {
  shiftId: string;
  start: number;
  end: number;
  kind: 'active' | 'passive';
  external: boolean;
  /** Work elsewhere only: the rest owed next to it, the stricter of this plan's and its ordning's. */
  rest?: RestHours;
  /** Work elsewhere only: the hour limits its ordning planned with. */
  limits?: HourLimits;
}

export { HOUR };
const parsed = new Map<string, number>();
/** Epoch ms of an ISO time with offset (remembered: the checker reads the same times often). */
export function ms(iso: string): number {
  let t = parsed.get(iso);
  if (t === undefined) {
    if (parsed.size > 100_000) parsed.clear();
    t = DateTime.fromISO(iso, { setZone: true }).toMillis();
    parsed.set(iso, t);
  }
  return t;
}
export const fmt = (h: number): string => `${Math.round(h * 100) / 100} h`;

/** Each assistant's work, sorted by start: planned shifts and their bookings elsewhere. */
export function workByAssistant(input: CheckInput): Map<string, Work[]> {
  return (input as WithWork)[WORK] ?? sortedWork(input);
}

/**
 * The input with its work sorted once, for every rule of one check (checkPlan). A copy of the
 * caller's input that only that check holds, so what it remembers cannot go stale: a caller that
 * changes its input and checks again gets its work sorted again. A rule checked alone sorts its own.
 */
export function withWork(input: CheckInput): CheckInput {
  // Not enumerable: an input a rule spreads into one of its own does not carry this work along.
  return Object.defineProperty({ ...input }, WORK, { value: sortedWork(input) });
}

const WORK = Symbol('work');
type WithWork = CheckInput & { [WORK]?: Map<string, Work[]> };

function sortedWork(input: CheckInput): Map<string, Work[]> {
  const out = new Map<string, Work[]>();
  const add = (id: string, w: Work) => append(out, id, w);
  for (const s of input.shifts)
    for (const a of s.assistantIds) add(a, { shiftId: s.id, start: ms(s.start), end: ms(s.end), kind: s.kind, external: false });
  for (const b of input.externalBookings ?? [])
    add(b.assistantId, { shiftId: elsewhereId(b), start: ms(b.start), end: ms(b.end), kind: b.kind, external: true, rest: restNextTo(input.params, restOfBooking(b)), limits: limitsOfBooking(b) });
  for (const list of out.values()) list.sort((x, y) => x.start - y.start || x.end - y.end);
  return out;
}

/** A violation only concerns this plan when at least one of its shifts is planned here. */
export function violation(rule: string, assistantId: string, items: Work[], detail: string): Violation[] {
  if (items.every((w) => w.external)) return [];
  return [{ rule, assistantId, shiftIds: items.map((w) => w.shiftId), detail }];
}

/**
 * Active and passive hours of the work inside [from, to), and whether any of it is this plan's.
 * No list of the work: most windows are legal, and `inside` lists it for one that is not.
 */
export function load(items: Work[], from: number, to: number): { active: number; passive: number; own: boolean } {
  let active = 0;
  let passive = 0;
  let own = false;
  for (const w of items) {
    const h = Math.max(0, Math.min(w.end, to) - Math.max(w.start, from)) / HOUR;
    if (h <= 0) continue;
    own ||= !w.external;
    if (w.kind === 'active') active += h;
    else passive += h;
  }
  return { active, passive, own };
}

/** The work inside [from, to). */
export const inside = (items: Work[], from: number, to: number): Work[] => items.filter((w) => Math.min(w.end, to) - Math.max(w.start, from) > 0);

/** The windows of a length where the load peaks: starting at a shift start or ending at a shift end. */
export function peakWindows(items: Work[], lengthMs: number): [number, number][] {
  return [...items.map((w) => [w.start, w.start + lengthMs] as [number, number]), ...items.map((w) => [w.end - lengthMs, w.end] as [number, number])];
}

/**
 * AML §10-4(2): passive time may lengthen the limit by half of it, at most by `allowance`.
 * Returns the excess in hours, 0 when the window is legal. The same two linear forms as the model.
 */
export function passiveExcess(active: number, passive: number, limit: number, allowance: number, ceiling = Infinity): number {
  return Math.max(0, active + passive / 2 - limit, active + passive - Math.min(limit + allowance, ceiling));
}

export const weekCeiling = (limit: number): number => Math.max(limit, 48);
