import { z } from 'zod';
import { DateTime } from 'luxon';
import { ProfileNameSchema, RuleOverridesSchema } from './rules/parameters.ts';

/** The schedule request of shared/api-contract.md. The one source of truth for its shape. */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const WeekdaySchema = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof WeekdaySchema>;

const id = z.string().min(1).max(100).regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only');
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine((s) => DateTime.fromISO(s).isValid, 'not a calendar date');
/** A local date-time in the ordning's time zone, e.g. 2027-01-10T00:00. */
const localDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, 'expected YYYY-MM-DDTHH:MM (local time)')
  .refine((s) => DateTime.fromISO(s).isValid, 'not a valid date-time');
const timezone = z.string().refine((tz) => DateTime.local().setZone(tz).isValid, 'unknown IANA time zone');

export const IntervalSchema = z
  .object({ start: localDateTime, end: localDateTime })
  .refine((i) => i.start < i.end, { message: 'end must be after start', path: ['end'] });

export const PreferenceSchema = z
  .object({
    days: z.array(WeekdaySchema).min(1).optional(),
    dates: z.array(isoDate).min(1).optional(),
    start: clock.optional(),
    end: clock.optional(),
    needId: id.optional(),
    /** > 0 wanted, < 0 not wanted. */
    weight: z.number().int().min(-10).max(10).refine((w) => w !== 0, 'weight must not be 0'),
  })
  .strict();

export const AssistantSchema = z
  .object({
    id,
    positionPercent: z.number().min(0).max(100),
    skills: z.array(z.string().min(1).max(50)).max(50).default([]),
    unavailable: z.array(IntervalSchema).max(500).default([]),
    preferences: z.array(PreferenceSchema).max(200).default([]),
  })
  .strict();

export const NeedSchema = z
  .object({
    id,
    days: z.array(WeekdaySchema).min(1).optional(),
    dates: z.array(isoDate).min(1).optional(),
    start: clock,
    end: clock,
    assistants: z.number().int().min(1).max(10).default(1),
    kind: z.enum(['active', 'passive']).default('active'),
    priority: z.enum(['essential', 'important', 'optional']).default('essential'),
    skills: z.array(z.string().min(1).max(50)).max(20).default([]),
  })
  .strict()
  .refine((n) => (n.days ? 1 : 0) + (n.dates ? 1 : 0) === 1, { message: 'give exactly one of days or dates', path: ['days'] })
  .refine((n) => n.start !== n.end, { message: 'end must differ from start', path: ['end'] });

export const ScheduleRequestSchema = z
  .object({
    ordning: z
      .object({
        id,
        timezone: timezone.default('Europe/Oslo'),
        vedtak: z
          .object({
            hoursPerWeek: z.number().positive().max(1000), // two or more assistants at once can exceed 168
            year: z.number().int().min(2000).max(2100),
            /** Hours spent this year before the period; when absent, the year so far is taken as used pro rata. */
            usedHoursThisYear: z.number().min(0).optional(),
            passiveHoursFactor: z.number().min(0).max(1).default(1),
          })
          .strict(),
      })
      .strict(),
    period: z
      .object({
        start: isoDate.refine((s) => DateTime.fromISO(s).weekday === 1, 'period must start on a Monday'),
        weeks: z.number().int().min(1).max(12),
      })
      .strict(),
    rules: z
      .object({ profile: ProfileNameSchema.default('aml'), overrides: RuleOverridesSchema.default({}) })
      .strict()
      .default({ profile: 'aml', overrides: {} }),
    needs: z.array(NeedSchema).min(1).max(200),
    assistants: z.array(AssistantSchema).min(1).max(100),
    pool: z.object({ id }).strict().optional(),
    pinned: z.array(z.object({ needId: id, date: isoDate, assistantId: id }).strict()).max(2000).default([]),
    solver: z
      .object({
        timeLimitSeconds: z.number().positive().max(300).default(20),
        relativeGap: z.number().min(0).max(1).default(0.01),
        engine: z.enum(['auto', 'highs', 'jslp']).default('auto'),
      })
      .strict()
      .default({ timeLimitSeconds: 20, relativeGap: 0.01, engine: 'auto' }),
  })
  .strict()
  .superRefine((r, ctx) => {
    const dup = (ids: string[], path: string) => {
      const seen = new Set<string>();
      ids.forEach((x, i) => {
        if (seen.has(x)) ctx.addIssue({ code: 'custom', message: `duplicate id "${x}"`, path: [path, i, 'id'] });
        seen.add(x);
      });
    };
    dup(r.needs.map((n) => n.id), 'needs');
    dup(r.assistants.map((a) => a.id), 'assistants');
    const needIds = new Set(r.needs.map((n) => n.id));
    const assistantIds = new Set(r.assistants.map((a) => a.id));
    r.pinned.forEach((p, i) => {
      if (!needIds.has(p.needId)) ctx.addIssue({ code: 'custom', message: `unknown need "${p.needId}"`, path: ['pinned', i, 'needId'] });
      if (!assistantIds.has(p.assistantId))
        ctx.addIssue({ code: 'custom', message: `unknown assistant "${p.assistantId}"`, path: ['pinned', i, 'assistantId'] });
    });
  });

/** The request as a client sends it (defaults may be missing). */
export type ScheduleRequestInput = z.input<typeof ScheduleRequestSchema>;
/** The request after validation, every default filled in. */
export type ScheduleRequest = z.output<typeof ScheduleRequestSchema>;
export type Need = z.output<typeof NeedSchema>;
export type Assistant = z.output<typeof AssistantSchema>;
export type Preference = z.output<typeof PreferenceSchema>;

export const SickLeaveRequestSchema = z
  .object({ assistantId: id, from: localDateTime, to: localDateTime })
  .strict()
  .refine((s) => s.from < s.to, { message: 'to must be after from', path: ['to'] });
export type SickLeaveRequest = z.output<typeof SickLeaveRequestSchema>;

/** A pool member: the assistant shape above. */
export const PoolAssistantSchema = AssistantSchema.omit({ id: true });
export type PoolAssistantInput = z.input<typeof PoolAssistantSchema>;
