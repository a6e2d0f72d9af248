import type { ProfileName, RuleParameters } from './rules/parameters.ts';
import type { LevelReport } from './levels.ts';
import type { AppliedOverride } from './rules/legal-limits.ts';

/** The completed schedule of shared/api-contract.md. Hours are rounded to 2 decimals. */

export type Outcome = 'optimal' | 'feasible' | 'infeasible';
export type Source = 'team' | 'pool';

export interface PlannedShift {
  id: string; // `${needId}@${localDate}`, plus `#k` when a need repeats on one date
  needId: string;
  start: string; // ISO with offset, e.g. 2027-01-04T07:00:00+01:00
  end: string;
  hours: number;
  kind: 'active' | 'passive';
  assistantIds: string[];
  sources: Source[];
}

/**
 * Why a place is open, as a stable code and the figures the text was built from, so the text can be
 * given in any language (src/i18n): `searchEnded` says the time limit ended the search before the
 * coverage of its priority was proven; `moreHours` is how many more hours the bound still allows.
 */
export type UnfilledCode = 'someone-could-take' | 'plan-limits' | 'rule-blocks' | 'nobody-available' | 'no-assistants';
export interface UnfilledFacts {
  priority: 'essential' | 'important' | 'optional';
  proven: boolean;
  moreHours: number | null;
  assistantIds: string[];
  rule?: string;
  detail?: string;
}
export interface Unfilled { shiftId: string; missing: number; reason: string; code: UnfilledCode; facts: UnfilledFacts }

export interface AssistantSummary {
  id: string;
  plannedHours: number;
  targetHours: number;
  deviationHours: number;
  nights: number;
  weekendsWorked: number;
  sundaysWorked: number;
}

export interface Budget {
  vedtakHoursInPeriod: number;
  neededHours: number;
  plannedHours: number;
  unfilledHours: number;
  balanceHours: number; // vedtak minus planned; negative = overforbruk
  weeks: { week: string; vedtakHours: number; plannedHours: number; balanceHours: number }[];
  yearForecast: { vedtakHours: number; usedHours: number; projectedBalanceHours: number };
  droppedNeeds: { shiftId: string; priority: 'essential' | 'important' | 'optional'; hours: number }[];
  /** Present when the plan passes its frame or the year is forecast to run out. */
  overforbruk?: Overforbruk;
}

/**
 * Hours past the frame: `periodHours` planned past the period's frame (essential care, which is
 * never dropped unless `capMode` is strict), `yearHours` the year's forecast deficit, and the ISO
 * week in which the year's hours run out (null when they last the year).
 */
export interface Overforbruk { periodHours: number; yearHours: number; runsOutWeek: string | null }

export interface Violation { rule: string; assistantId: string; shiftIds: string[]; detail: string }

export interface Compliance {
  profile: ProfileName;
  parameters: RuleParameters;
  violations: Violation[];
  /** Every parameter the request's overrides changed from the profile, with the profile's own value. */
  overrides: AppliedOverride[];
}

export interface SolverFigures {
  engine: string; // highs | jslp | highs+rolling | jslp+rolling
  /** The deciding level's figures: the first level not proven, or the last level when all are. */
  objective: number | null;
  bound: number | null;
  gap: number | null;
  timeMs: number;
  variables: number;
  constraints: number;
  /** The score, level by level (solver/levels.ts): `outcome` is optimal only when every one is. */
  levels: LevelReport[];
  /** Set when the search was cancelled before its time limit: the plan is the best found until then. */
  cancelled?: true;
}

export interface Change { shiftId: string; removed: string | null; added: string | null; source: Source | null }
export interface Candidate { assistantId: string; source: Source; cost: number; note: string }

export interface ScheduleResult {
  version: number;
  outcome: Outcome;
  shifts: PlannedShift[];
  unfilled: Unfilled[];
  assistants: AssistantSummary[];
  budget: Budget;
  compliance: Compliance;
  fairness: { maxRelativeDeviation: number; meanAbsoluteDeviationHours: number };
  solver: SolverFigures;
  /** Re-plans only: what changed against the previous version. */
  changes?: Change[];
  /** Re-plans only: for each refilled or unfilled shift, who else could take it, best first. */
  candidates?: { shiftId: string; candidates: Candidate[] }[];
  /** Outcome `infeasible` only: why the request cannot be planned. */
  reasons?: string[];
}

/** Progress of a running solve, 0..1 with a short phase name (never personal data). */
export type ProgressReport = (fraction: number, phase: string) => void;

/** A pool member's shift in another ordning: fixed work that every rule counts for them. */
export interface ExternalBooking {
  assistantId: string;
  ordningId: string;
  scheduleId: string;
  shiftId: string;
  start: string; // ISO with offset
  end: string;
  kind: 'active' | 'passive';
  /**
   * The rest its own ordning planned with. Rest around this booking is the stricter of these and the
   * planning ordning's own; a booking stored without them is owed the law's rest (rules/rest-elsewhere.ts).
   */
  minDailyRestHours?: number;
  minWeeklyRestHours?: number;
}
