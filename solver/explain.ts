import { capRule, vedtakHours, round2 } from './budget.ts';
import { couldTake, whatStops } from './check/trial.ts';
import { COVERAGE_LEVEL, unproven, type LevelReport } from './levels.ts';
import type { Setting } from './setting.ts';
import type { ExternalBooking, PlannedShift, ScheduleResult, Unfilled, UnfilledFacts, Violation } from './result.ts';

export interface Gaps {
  unfilled: Unfilled[];
  /** Shifts someone could legally take, left open because the vedtak had no hours left. */
  dropped: string[];
}

/** Rules that say the assistant could not have worked then at all: not "closest" to taking it. */
const ABSENT = new Set(['availability', 'skills']);

/**
 * Why each open place is open, in words the arbeidsleder can act on, and never stronger than its
 * proof: "no plan covers more" only where the coverage level of that priority is proven; someone
 * "could take it" only where the independent checker accepts the plan with them on it.
 */
export function explainGaps(set: Setting, shifts: PlannedShift[], external: ExternalBooking[], levels: LevelReport[]): Gaps {
  const { request, params } = set;
  const needs = new Map(request.needs.map((n) => [n.id, n]));
  const rule = capRule(request);
  const counts = (s: PlannedShift) => rule.kind === 'total' || needs.get(s.needId)?.priority !== 'essential';
  const capLeft = (rule.kind === 'total' ? rule.cap : 0) - shifts.filter(counts).reduce((t, s) => t + vedtakHours(s.hours, s.kind, request) * s.assistantIds.length, 0);
  const unfilled: Unfilled[] = [];
  const dropped: string[] = [];
  for (const shift of shifts) {
    const need = needs.get(shift.needId);
    const missing = (need?.assistants ?? 0) - shift.assistantIds.length;
    if (missing <= 0 || !need) continue;
    const tries = request.assistants
      .filter((a) => !shift.assistantIds.includes(a.id))
      .map((a) => ({ id: a.id, blocking: whatStops(request, params, shifts, a.id, shift, external) }))
      .sort((x, y) => x.blocking.length - y.blocking.length);
    const free = tries.filter((t) => t.blocking.length === 0).map((t) => t.id);
    if (free.length > 0 && counts(shift) && capLeft < vedtakHours(shift.hours, shift.kind, request) - 1e-6) {
      dropped.push(shift.id);
      continue;
    }
    const takers = free.filter((id) => couldTake(request, params, shifts, shift.id, id, external));
    const level = levels.find((l) => l.name === COVERAGE_LEVEL[need.priority]);
    const why = explanation(takers, free, tries, need.priority, level);
    unfilled.push({ shiftId: shift.id, missing, reason: reasonText(why), ...why });
  }
  return { unfilled, dropped };
}

type Explanation = Pick<Unfilled, 'code' | 'facts'>;

/** The code and figures of a reason: what the text says, kept apart from the words. */
function explanation(couldTake: string[], free: string[], tries: { id: string; blocking: Violation[] }[], priority: UnfilledFacts['priority'], level: LevelReport | undefined): Explanation {
  const proven = level?.status === 'optimal';
  const moreHours = proven ? 0 : level?.bound != null ? round2(level.bound - level.value) : null;
  const base = { priority, proven, moreHours };
  if (couldTake.length > 0) return { code: 'someone-could-take', facts: { ...base, assistantIds: couldTake.slice(0, 3) } };
  if (free.length > 0) return { code: 'plan-limits', facts: { ...base, assistantIds: free.slice(0, 3) } };
  const near = closest(tries);
  if (!near) return { code: tries.length === 0 ? 'no-assistants' : 'nobody-available', facts: { ...base, assistantIds: [] } };
  return { code: 'rule-blocks', facts: { ...base, assistantIds: [near.id], rule: near.rule, detail: near.detail } };
}

/** The English reason of the contract, built from the code and figures alone. */
function reasonText({ code, facts }: Explanation): string {
  const { priority, proven, moreHours, assistantIds, rule, detail, mended } = facts;
  const names = assistantIds.join(', ');
  const cause = mended ? 'the plan was mended after a clash in the shared pool' : 'the time limit ended the search';
  if (code === 'someone-could-take') return `left open when ${cause}; ${names} could take it within every rule`;
  const why =
    code === 'plan-limits' ? `${names} could take it by the working-time rules, but not within the plan's own limits (vedtak, pins)`
    : code === 'rule-blocks' ? `closest is ${names}: ${rule} (${detail})`
    : code === 'no-assistants' ? 'no assistant in the plan'
    : 'no assistant is available with the skills it needs then';
  if (proven) return `no plan within the rules covers more ${priority} hours (proven); ${why}`;
  if (mended) return `not proven: ${cause}; ${why}`;
  const allows = moreHours === null ? 'no bound was proven for this priority' : moreHours > 0 ? `the best plan possible may cover up to ${moreHours} more ${priority} hours` : `no plan covers more ${priority} hours`;
  return `the time limit ended the search before this was settled (${allows}); ${why}`;
}

/** The nearest miss among assistants who could have worked then: fewest rules in the way. */
function closest(tries: { id: string; blocking: Violation[] }[]): { id: string; rule: string; detail: string } | null {
  const present = tries.filter((t) => t.blocking.length > 0 && !t.blocking.some((v) => ABSENT.has(v.rule)));
  if (present.length === 0) return null;
  const best = present[0]!;
  const first = best.blocking[0]!;
  return { id: best.id, rule: first.rule, detail: first.detail };
}

/**
 * A plan mended after a clash in the shared pool: a repair that kept the rest of a plan nobody
 * proved best as a whole, or a solve with members kept off shifts the solver could not judge. What
 * its search proved holds only around those choices: no level is reported proven, no bound is
 * given, and each open place says why (docs/adr/0007-optimistic-pool-bookings.md).
 */
export function asMended(result: ScheduleResult): ScheduleResult {
  const unfilled = result.unfilled.map((u) => {
    const facts = { ...u.facts, proven: false, moreHours: null, mended: true };
    return { ...u, facts, reason: reasonText({ code: u.code, facts }) };
  });
  const outcome = result.outcome === 'optimal' ? 'feasible' : result.outcome;
  return { ...result, outcome, unfilled, solver: { ...result.solver, bound: null, gap: null, levels: result.solver.levels.map(unproven) } };
}
