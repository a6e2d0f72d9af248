import { z } from 'zod';
import { ProfileNameSchema, RuleOverridesSchema, RuleParametersSchema } from './rules/parameters.ts';
import { LEVELS, type LevelName } from './levels.ts';

/**
 * The completed schedule of shared/api-contract.md. Hours are rounded to 2 decimals. The schemas
 * are the one source of the result's shape: the types below and the OpenAPI document come from them.
 */

const hours = z.number();
const isoOffset = z.string().meta({ description: 'ISO 8601 with offset', examples: ['2027-01-04T07:00:00+01:00'] });

export const OutcomeSchema = z.enum(['optimal', 'feasible', 'infeasible']);
export type Outcome = z.infer<typeof OutcomeSchema>;
export const SourceSchema = z.enum(['team', 'pool']);
export type Source = z.infer<typeof SourceSchema>;

export const PlannedShiftSchema = z.object({
  id: z.string().meta({ description: '`{needId}@{localDate}`, plus `#k` when a need repeats on one date', examples: ['morning@2027-01-04'] }),
  needId: z.string(),
  /** The need's display label, when the request gave one. */
  label: z.string().optional(),
  start: isoOffset,
  end: isoOffset,
  hours,
  kind: z.enum(['active', 'passive']),
  assistantIds: z.array(z.string()).meta({ description: 'as many as the need asks, fewer when unfilled' }),
  sources: z.array(SourceSchema).meta({ description: 'per assistant, in the order of assistantIds' }),
});
export type PlannedShift = z.infer<typeof PlannedShiftSchema>;

/**
 * Why a place is open, as a stable code and the figures the text was built from, so the text can be
 * given in any language (src/i18n): `proven` says whether the coverage of its priority was proven;
 * `moreHours` is how many more hours the bound still allows.
 */
export const UnfilledCodeSchema = z.enum(['someone-could-take', 'plan-limits', 'rule-blocks', 'nobody-available', 'no-assistants']);
export type UnfilledCode = z.infer<typeof UnfilledCodeSchema>;
export const UnfilledFactsSchema = z.object({
  priority: z.enum(['essential', 'important', 'optional']),
  proven: z.boolean(),
  moreHours: z.number().nullable(),
  assistantIds: z.array(z.string()),
  rule: z.string().optional(),
  detail: z.string().optional(),
  /**
   * The plan was mended after a clash in the shared pool, around choices no search proved best (the
   * rest of the plan kept, or members kept off shifts the solver could not judge): nothing about
   * the place is proven (docs/adr/0007-optimistic-pool-bookings.md).
   */
  mended: z.boolean().optional(),
});
export type UnfilledFacts = z.infer<typeof UnfilledFactsSchema>;
export const UnfilledSchema = z.object({ shiftId: z.string(), missing: z.number().int(), reason: z.string(), code: UnfilledCodeSchema, facts: UnfilledFactsSchema });
export type Unfilled = z.infer<typeof UnfilledSchema>;

export const AssistantSummarySchema = z.object({
  id: z.string(),
  /** The assistant's display name, when the request gave one. */
  name: z.string().optional(),
  plannedHours: hours,
  targetHours: hours,
  deviationHours: hours,
  nights: z.number().int(),
  weekendsWorked: z.number().int(),
  sundaysWorked: z.number().int(),
});
export type AssistantSummary = z.infer<typeof AssistantSummarySchema>;

/**
 * Hours past the frame: `periodHours` planned past the period's frame (essential care, which is
 * never dropped unless `capMode` is strict), `yearHours` the year's forecast deficit, and the ISO
 * week in which the year's hours run out (null when they last the year).
 */
export const OverforbrukSchema = z.object({ periodHours: hours, yearHours: hours, runsOutWeek: z.string().nullable() });
export type Overforbruk = z.infer<typeof OverforbrukSchema>;

export const BudgetSchema = z.object({
  vedtakHoursInPeriod: hours,
  neededHours: hours,
  plannedHours: hours,
  unfilledHours: hours,
  balanceHours: hours.meta({ description: 'vedtak minus planned; negative = overforbruk' }),
  weeks: z.array(z.object({ week: z.string().meta({ examples: ['2027-W01'] }), vedtakHours: hours, plannedHours: hours, balanceHours: hours })),
  yearForecast: z.object({ vedtakHours: hours, usedHours: hours, projectedBalanceHours: hours }),
  droppedNeeds: z.array(z.object({ shiftId: z.string(), priority: z.enum(['essential', 'important', 'optional']), hours })),
  /** Present when the plan passes its frame or the year is forecast to run out. */
  overforbruk: OverforbrukSchema.optional(),
});
export type Budget = z.infer<typeof BudgetSchema>;

export const ViolationSchema = z.object({ rule: z.string(), assistantId: z.string(), shiftIds: z.array(z.string()), detail: z.string() });
export type Violation = z.infer<typeof ViolationSchema>;

const parameterValue = z.union([z.number(), z.string(), z.null()]);
export const AppliedOverrideSchema = z.object({ parameter: RuleParametersSchema.keyof(), value: parameterValue, profileValue: parameterValue });

export const ComplianceSchema = z.object({
  profile: ProfileNameSchema,
  parameters: RuleParametersSchema,
  violations: z.array(ViolationSchema).meta({ description: 'empty for a valid plan' }),
  /** Every parameter the request's overrides changed from the profile, with the profile's own value. */
  overrides: z.array(AppliedOverrideSchema),
});
export type Compliance = z.infer<typeof ComplianceSchema>;

export const LevelReportSchema = z.object({
  name: z.enum(LEVELS.map((l) => l.name) as [LevelName, ...LevelName[]]),
  unit: z.string(),
  value: z.number(),
  /** Proven bound on the level's best value, given the levels above it; null when none was proven. */
  bound: z.number().nullable(),
  gap: z.number().nullable(),
  status: z.enum(['optimal', 'feasible', 'not-solved']),
  timeMs: z.number(),
});

export const SolverFiguresSchema = z.object({
  engine: z.string().meta({ examples: ['highs', 'jslp', 'highs+rolling', 'jslp+rolling'] }),
  /** The deciding level's figures: the first level not proven, or the last level when all are. */
  objective: z.number().nullable(),
  bound: z.number().nullable(),
  gap: z.number().nullable(),
  timeMs: z.number(),
  variables: z.number().int(),
  constraints: z.number().int(),
  /** The score, level by level (solver/levels.ts): `outcome` is optimal only when every one is. */
  levels: z.array(LevelReportSchema),
  /** Set when the search was cancelled before its time limit: the plan is the best found until then. */
  cancelled: z.literal(true).optional(),
  /** Set by the service: the planner thread's peak heap during the solve, in MB (sampled; src/planner/heap.ts). */
  peakHeapMb: z.number().optional().meta({ description: 'peak heap of the planner thread during this solve, in MB (sampled, a lower bound)', examples: [182.4] }),
});
export type SolverFigures = z.infer<typeof SolverFiguresSchema>;

export const ChangeSchema = z.object({ shiftId: z.string(), removed: z.string().nullable(), added: z.string().nullable(), source: SourceSchema.nullable() });
export type Change = z.infer<typeof ChangeSchema>;
export const CandidateSchema = z.object({ assistantId: z.string(), source: SourceSchema, cost: z.number(), note: z.string() });
export type Candidate = z.infer<typeof CandidateSchema>;

export const ScheduleResultSchema = z
  .object({
    version: z.number().int().min(1),
    outcome: OutcomeSchema,
    shifts: z.array(PlannedShiftSchema),
    unfilled: z.array(UnfilledSchema),
    assistants: z.array(AssistantSummarySchema),
    budget: BudgetSchema,
    compliance: ComplianceSchema,
    fairness: z.object({ maxRelativeDeviation: z.number(), meanAbsoluteDeviationHours: z.number() }),
    solver: SolverFiguresSchema,
    /** Re-plans only: what changed against the previous version. */
    changes: z.array(ChangeSchema).optional(),
    /** Re-plans only: for each refilled or unfilled shift, who else could take it, best first. */
    candidates: z.array(z.object({ shiftId: z.string(), candidates: z.array(CandidateSchema) })).optional(),
    /** Outcome `infeasible` only: why the request cannot be planned. */
    reasons: z.array(z.string()).optional(),
  })
  .meta({ id: 'ScheduleResult' });
export type ScheduleResult = z.infer<typeof ScheduleResultSchema>;

/** Progress of a running solve, 0..1 with a short phase name (never personal data). */
export type ProgressReport = (fraction: number, phase: string) => void;

/** A pool member's shift in another ordning: fixed work that every rule counts for them. */
export const ExternalBookingSchema = z.object({
  assistantId: z.string(),
  ordningId: z.string(),
  scheduleId: z.string(),
  shiftId: z.string(),
  start: isoOffset,
  end: isoOffset,
  kind: z.enum(['active', 'passive']),
  /**
   * The rest its own ordning planned with. Rest around this booking is the stricter of these and the
   * planning ordning's own; a booking stored without them is owed the law's rest (rules/rest-elsewhere.ts).
   */
  minDailyRestHours: z.number().optional(),
  minWeeklyRestHours: z.number().optional(),
  /** The hour limits its own ordning planned with: windows holding it keep the stricter (rules/rest-elsewhere.ts). */
  maxHoursPerDay: z.number().optional(),
  maxHoursPerWeek: z.number().optional(),
  maxHoursPerWeekWithNight: z.number().optional(),
  /**
   * How its own ordning plans: its zone, period and rules. The pool check reads the member's work as
   * that ordning's own check will (solver/pool-check.ts), limits averaged over weeks and night work
   * included; a booking stored without it is read by the planning ordning's rules only.
   */
  bookedBy: z
    .object({
      timezone: z.string(),
      period: z.object({ start: z.string(), weeks: z.number() }),
      rules: z.object({ profile: ProfileNameSchema, overrides: RuleOverridesSchema }),
    })
    .optional(),
});
export type ExternalBooking = z.infer<typeof ExternalBookingSchema>;
