import { z } from 'zod';
import { AssistantSchema, IsoDateSchema, LocalDateTimeSchema, localBefore, TimezoneSchema, VedtakYearSchema } from '../../solver/request.ts';
import { ProfileNameSchema, RuleOverridesSchema } from '../../solver/rules/parameters.ts';

/**
 * Bodies and answers of the ordning routes (src/http/ordninger.ts), in one module so they can be
 * put in the OpenAPI document as they are.
 */

const id = AssistantSchema.shape.id;
const isoDate = IsoDateSchema;
/** A date a vedtak changes on: in the years a schedule's vedtak may have (solver/request.ts), so every one can be planned and counted. */
const vedtakDate = isoDate.refine((d) => VedtakYearSchema.safeParse(Number(d.slice(0, 4))).success, `expected a date in the years ${VedtakYearSchema.minValue} to ${VedtakYearSchema.maxValue}`);
const timezone = TimezoneSchema;
/** A change of the vedtak, in effect from its date on (until the next change). */
export const VedtakChangeSchema = z
  .object({ from: vedtakDate, hoursPerWeek: z.number().min(0).max(1000), passiveHoursFactor: z.number().min(0).max(1).optional() })
  .strict();

export const OrdningVedtakSchema = z
  .object({
    hoursPerWeek: z.number().min(0).max(1000),
    passiveHoursFactor: z.number().min(0).max(1).default(1),
    /** The first day the vedtak applies; hours are not counted, nor registered, before it. */
    from: vedtakDate,
    /** The last day it applies; open-ended when absent. */
    to: vedtakDate.optional(),
    changes: z.array(VedtakChangeSchema).max(100).default([]),
  })
  .strict()
  .refine((v) => !v.to || v.to >= v.from, { message: 'to must not be before from', path: ['to'] })
  .refine((v) => v.changes.every((c) => c.from > v.from && (!v.to || c.from <= v.to)), { message: 'each change takes effect after from and by to', path: ['changes'] });

export const OrdningAssistantSchema = z
  .object({
    id,
    positionPercent: z.number().min(0).max(100),
    /** Shown to the ordning's own users; never logged. */
    name: z.string().min(1).max(200).optional(),
  })
  .strict();

export const OrdningBodySchema = z
  .object({
    timezone: timezone.default('Europe/Oslo'),
    vedtak: OrdningVedtakSchema,
    rules: z
      .object({ profile: ProfileNameSchema.default('aml'), overrides: RuleOverridesSchema.default({}) })
      .strict()
      .default({ profile: 'aml', overrides: {} }),
    assistants: z.array(OrdningAssistantSchema).min(1).max(100),
  })
  .strict()
  .superRefine((o, ctx) => {
    const seen = new Set<string>();
    o.assistants.forEach((a, i) => {
      if (seen.has(a.id)) ctx.addIssue({ code: 'custom', message: `duplicate id "${a.id}"`, path: ['assistants', i, 'id'] });
      seen.add(a.id);
    });
  });
export type OrdningBody = z.output<typeof OrdningBodySchema>;
export type Ordning = OrdningBody & { id: string; createdAt: string; updatedAt: string };

const KindSchema = z.enum(['active', 'passive']);

/** Hours actually worked, in the ordning's local time; optionally the planned shift it realises. */
export const TimesheetEntryBodySchema = z
  .object({
    assistantId: id,
    start: LocalDateTimeSchema,
    end: LocalDateTimeSchema,
    kind: KindSchema.default('active'),
    plannedShiftId: z.string().min(1).max(200).optional(),
    scheduleId: z.uuid().optional(),
    /** Who registers or corrects it, until tenants exist; the `x-changed-by` header does the same. */
    changedBy: z.string().min(1).max(200).optional(),
  })
  .strict()
  .refine((e) => localBefore(e.start, e.end), { message: 'end must be after start', path: ['end'] });
export type TimesheetEntryBody = z.output<typeof TimesheetEntryBodySchema>;

export const ConfirmBodySchema = z
  .object({
    scheduleId: z.uuid(),
    version: z.number().int().min(1),
    /** Shifts that end by this local date-time (or date: its start) are confirmed as worked. */
    upTo: z.union([LocalDateTimeSchema, isoDate]),
    changedBy: z.string().min(1).max(200).optional(),
  })
  .strict();

/** What was worked, as registered. */
export const WorkedFieldsSchema = z.object({
  assistantId: id,
  start: LocalDateTimeSchema,
  end: LocalDateTimeSchema,
  kind: KindSchema,
  plannedShiftId: z.string().optional(),
  scheduleId: z.string().optional(),
});
export type WorkedFields = z.output<typeof WorkedFieldsSchema>;

/** A stored entry and its history: each earlier form, with when and by whom it was replaced. */
export const TimesheetEntrySchema = WorkedFieldsSchema.extend({
  id: z.string(),
  createdAt: z.string(),
  changedAt: z.string(),
  changedBy: z.string().optional(),
  history: z.array(WorkedFieldsSchema.extend({ changedAt: z.string(), changedBy: z.string().optional(), replacedAt: z.string(), replacedBy: z.string().optional() })),
});
export type TimesheetEntry = z.output<typeof TimesheetEntrySchema>;

const hours = z.number();
const bankLine = { vedtakHours: hours, plannedHours: hours, workedHours: hours, plannedAheadHours: hours, balanceHours: hours };
/** GET /ordninger/{id}/hours: the year's hour bank (src/ordning/bank.ts says how each figure is read). */
export const HourBankSchema = z.object({
  ordningId: z.string(),
  year: z.number().int(),
  asOf: z.string(),
  weeks: z.array(z.object({ week: z.string(), from: z.string(), to: z.string(), ...bankLine })),
  total: z.object(bankLine),
  yearToDate: z.object({ vedtakHours: hours, workedHours: hours, balanceHours: hours }),
  forecast: z.object({ workedHours: hours, plannedAheadHours: hours, unplannedVedtakHours: hours, usedHours: hours, balanceHours: hours }),
  overforbruk: z.object({ hours, runsOutWeek: z.string().nullable() }).nullable(),
  assistants: z.array(z.object({
    id: z.string(),
    workedHours: hours,
    contractHours: hours,
    deviationHours: hours,
    overtimeHours: hours,
    violations: z.array(z.object({ rule: z.string(), entryIds: z.array(z.string()), detail: z.string() })),
  })),
}).strict();
export type HourBank = z.output<typeof HourBankSchema>;

export const YearQuerySchema = z.object({
  year: z.string().regex(/^\d{4}$/, 'expected a year such as 2027').transform(Number),
  asOf: LocalDateTimeSchema.or(isoDate).optional(),
});

/** An ordning as stored and answered (PUT and GET /ordninger/{id}): the body with its defaults filled in. */
export const OrdningSchema = z
  .object({
    id: z.string(),
    timezone: z.string(),
    vedtak: OrdningVedtakSchema,
    rules: z.object({ profile: ProfileNameSchema, overrides: RuleOverridesSchema }),
    assistants: z.array(OrdningAssistantSchema),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Ordning' });

/** GET /ordninger/{id}/timesheet. */
export const TimesheetSchema = z.object({ entries: z.array(TimesheetEntrySchema) });

/** POST /ordninger/{id}/timesheet/confirm: the entries added, and how many of the plan's were already there. */
export const ConfirmedSchema = z.object({
  entries: z.array(TimesheetEntrySchema),
  alreadyRegistered: z.number().int().min(0).meta({ description: 'shift-assistant pairs up to `upTo` already in the timesheet, not added again' }),
});

/** GET /ordninger/{id}/timesheet: an optional year filter (the route reads it as a prefix of `start`). */
export const TimesheetQuerySchema = z.object({
  year: z.string().regex(/^\d{4}$/).optional().meta({ description: 'only entries starting in this year' }),
});
