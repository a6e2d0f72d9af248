import { z } from 'zod';
import { DateTime, IANAZone } from 'luxon';
import { ProfileNameSchema, RuleOverridesSchema } from './rules/parameters.ts';
import { overrideProblems } from './rules/legal-limits.ts';

/** The schedule request of shared/api-contract.md. The one source of truth for its shape. */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const WeekdaySchema = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof WeekdaySchema>;

export const IdSchema = z.string().min(1).max(100).regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only');
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');
export const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine((s) => DateTime.fromISO(s).isValid, 'not a calendar date');
/** A display name or label: shown in results and views, never planned with, never logged. */
const display = z.string().trim().min(1).max(200);
/** A local date-time in the ordning's time zone, e.g. 2027-01-10T00:00. */
export const LocalDateTimeSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, 'expected YYYY-MM-DDTHH:MM (local time)')
  .refine((s) => DateTime.fromISO(s).isValid, 'not a valid date-time');
/**
 * Whether local time `a` comes before `b`. Seconds are optional, so the strings alone would put
 * `T00:00` before `T00:00:00` and let an interval of no length through.
 */
export const localBefore = (a: string, b: string): boolean => withSeconds(a) < withSeconds(b);
/** A local date-time with its seconds written out (`T08:00` -> `T08:00:00`). */
export const withSeconds = (t: string): string => (t.length === 16 ? `${t}:00` : t);
/** The years a vedtak may be for: a schedule's vedtak year, and the dates of a stored ordning's vedtak. */
export const VedtakYearSchema = z.number().int().min(2000).max(2100);
/**
 * An IANA zone name such as Europe/Oslo. luxon also accepts its own specifiers (`system`, `local`,
 * `utc`, `UTC+1`), which would make a plan depend on the server's clock settings: the IANA shape
 * (capitalised, as the tz database spells it) keeps those out.
 */
export const TimezoneSchema = z
  .string()
  .max(100)
  .refine((tz) => /^[A-Z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(tz) && IANAZone.isValidZone(tz), 'expected an IANA time zone name such as Europe/Oslo');
const id = IdSchema;
const isoDate = IsoDateSchema;
const localDateTime = LocalDateTimeSchema;
const timezone = TimezoneSchema;
/** A year of dates: enough for any list of dates in a plan of at most 12 weeks, and a bound on work. */
const dateList = z.array(isoDate).min(1).max(366);
const dayList = z.array(WeekdaySchema).min(1).max(7);
/** Solves shorter than this cannot prove anything and only churn the queue. */
export const MIN_TIME_LIMIT_SECONDS = 1;
/** No need asks for more at once (NeedSchema), so hours used in a year cannot pass this many per hour. */
const MAX_ASSISTANTS_AT_ONCE = 10;

export const IntervalSchema = z
  .object({ start: localDateTime, end: localDateTime })
  .strict()
  .refine((i) => localBefore(i.start, i.end), { message: 'end must be after start', path: ['end'] });

export const PreferenceSchema = z
  .object({
    days: dayList.optional(),
    dates: dateList.optional(),
    start: clock.optional(),
    end: clock.optional(),
    needId: id.optional(),
    /** > 0 wanted, < 0 not wanted. */
    weight: z.number().int().min(-10).max(10).refine((w) => w !== 0, 'weight must not be 0'),
  })
  .strict();

/** A display name or label: shown in the turnus and calendar, never logged. */

export const AssistantSchema = z
  .object({
    id,
    name: display.optional(),
    positionPercent: z.number().min(0).max(100),
    skills: z.array(z.string().min(1).max(50)).max(50).default([]),
    unavailable: z.array(IntervalSchema).max(500).default([]),
    preferences: z.array(PreferenceSchema).max(200).default([]),
  })
  .strict();

export const NeedSchema = z
  .object({
    id,
    label: display.optional(),
    days: dayList.optional(),
    dates: dateList.optional(),
    start: clock,
    end: clock,
    assistants: z.number().int().min(1).max(MAX_ASSISTANTS_AT_ONCE).default(1),
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
            // Two or more assistants at once can exceed 168. The value may come from a stored ordning's
            // vedtak for the period (src/http/ordninger.ts vedtakForPeriod): the message says so.
            hoursPerWeek: z.number().positive("the vedtak must grant more than 0 h a week (for an ordning stored here, its vedtak on the period's first day)").max(1000),
            year: VedtakYearSchema,
            /** Hours spent this year before the period; when absent, the year so far is taken as used pro rata. */
            usedHoursThisYear: z.number().min(0).max(366 * 24 * MAX_ASSISTANTS_AT_ONCE).optional(),
            passiveHoursFactor: z.number().min(0).max(1).default(1),
            /** The vedtak year's hours when the vedtak changed within the year; default hoursPerWeek over the year. */
            yearHours: z.number().min(0).max(366 * 24 * MAX_ASSISTANTS_AT_ONCE).optional(),
            /** The next year's weekly hours, for the days of a period after New Year; default hoursPerWeek. */
            nextYearHoursPerWeek: z.number().min(0).max(1000).optional(),
            /** The period's hours, set on purpose (to save hours, or spend saved ones); default the year's remaining hours spread evenly over its remaining weeks. */
            periodHours: z.number().min(0).max(12 * 168 * MAX_ASSISTANTS_AT_ONCE).optional(),
            /** `soft` (default): essential care is planned even past the frame, and the overforbruk reported; `strict`: no hour past the frame. */
            capMode: z.enum(['soft', 'strict']).default('soft'),
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
        timeLimitSeconds: z.number().min(MIN_TIME_LIMIT_SECONDS).max(300).default(20),
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
    for (const issue of [...needDateIssues(r), ...pinIssues(r), ...preferenceIssues(r), ...yearIssues(r), ...overrideIssues(r)]) ctx.addIssue({ code: 'custom', ...issue });
    // Fields are read together here, so only once each of them is well-formed on its own.
  }, { when: (payload) => payload.issues.length === 0 });

type Issue = { message: string; path: (string | number)[] };
type Parsed = {
  needs: { id: string; days?: Weekday[]; dates?: string[]; assistants: number }[];
  assistants: { id: string; preferences: { needId?: string }[] }[];
  pinned: { needId: string; date: string; assistantId: string }[];
  period: { start: string; weeks: number };
  ordning: { timezone: string; vedtak: { year: number; usedHoursThisYear?: number } };
  rules: { profile: z.output<typeof ProfileNameSchema>; overrides: z.output<typeof RuleOverridesSchema> };
};

const utcDate = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' });

/** The local dates of the period (ISO dates need no zone). */
const periodDates = (p: Parsed['period']): Set<string> =>
  new Set(Array.from({ length: p.weeks * 7 }, (_, i) => utcDate(p.start).plus({ days: i }).toISODate()!));

/** Why a date is refused when the ordning's clocks skip that day whole (Pacific/Apia 2011-12-30): it has no shifts. */
const skippedDay = (date: string, zone: string): string | undefined =>
  DateTime.fromISO(date, { zone }).toISODate() === date ? undefined : `${date} does not occur in ${zone} (its clocks skip that day)`;

/**
 * A dated need's dates lie in the period, on days that occur in the ordning's zone: a date outside
 * (a wrong year, say) would otherwise be a need never planned, and no place left open, silently.
 */
function needDateIssues(r: Parsed): Issue[] {
  const dates = periodDates(r.period);
  const span = `${r.period.start} to ${[...dates].at(-1)}`;
  return r.needs.flatMap((n, i) =>
    (n.dates ?? []).flatMap((d, k): Issue[] => {
      const message = dates.has(d) ? skippedDay(d, r.ordning.timezone) : `${d} is outside the period (${span})`;
      return message ? [{ message, path: ['needs', i, 'dates', k] }] : [];
    }),
  );
}

/** A pin names a shift that exists: a known need, on a date of the period when that need occurs. */
function pinIssues(r: Parsed): Issue[] {
  const needs = new Map(r.needs.map((n) => [n.id, n]));
  const assistantIds = new Set(r.assistants.map((a) => a.id));
  const dates = periodDates(r.period);
  const perShift = new Map<string, number>();
  return r.pinned.flatMap((p, i): Issue[] => {
    const need = needs.get(p.needId);
    const out: Issue[] = [];
    if (!need) out.push({ message: `unknown need "${p.needId}"`, path: ['pinned', i, 'needId'] });
    if (!assistantIds.has(p.assistantId)) out.push({ message: `unknown assistant "${p.assistantId}"`, path: ['pinned', i, 'assistantId'] });
    if (!need) return out;
    const occurs = need.dates ? need.dates.includes(p.date) : need.days!.includes(WEEKDAYS[utcDate(p.date).weekday - 1]!);
    const skipped = skippedDay(p.date, r.ordning.timezone);
    if (!dates.has(p.date)) out.push({ message: `${p.date} is outside the period`, path: ['pinned', i, 'date'] });
    else if (skipped) out.push({ message: skipped, path: ['pinned', i, 'date'] });
    else if (!occurs) out.push({ message: `need "${p.needId}" does not occur on ${p.date}`, path: ['pinned', i, 'date'] });
    const key = `${p.needId}@${p.date}`;
    perShift.set(key, (perShift.get(key) ?? 0) + 1);
    if (perShift.get(key)! > need.assistants) out.push({ message: `more assistants pinned to ${key} than its need asks for (${need.assistants})`, path: ['pinned', i, 'assistantId'] });
    return out;
  });
}

/** A wish for a need names one of the request's needs: a misspelt id would otherwise be a wish never met, silently. */
function preferenceIssues(r: Parsed): Issue[] {
  const needIds = new Set(r.needs.map((n) => n.id));
  return r.assistants.flatMap((a, i) =>
    a.preferences.flatMap((p, k): Issue[] => (p.needId === undefined || needIds.has(p.needId) ? [] : [{ message: `unknown need "${p.needId}"`, path: ['assistants', i, 'preferences', k, 'needId'] }])),
  );
}

/**
 * The vedtak grants hours per calendar year, and the budget reads the period against that year:
 * the period starts inside the vedtak year (it may run on into the next, as a turnus over New Year
 * does). Hours used before the period cannot pass what the year so far held at most: every hour of
 * it, with as many assistants at once as any need may ask for.
 */
function yearIssues(r: Parsed): Issue[] {
  const { year, usedHoursThisYear } = r.ordning.vedtak;
  const start = utcDate(r.period.start);
  if (start.year !== year) return [{ message: `the period must start in the vedtak year ${year}`, path: ['period', 'start'] }];
  const hoursBefore = start.diff(DateTime.fromObject({ year, month: 1, day: 1 }, { zone: 'utc' }), 'hours').hours;
  const most = hoursBefore * MAX_ASSISTANTS_AT_ONCE;
  if (usedHoursThisYear !== undefined && usedHoursThisYear > most)
    return [{ message: `at most ${most} h: ${MAX_ASSISTANTS_AT_ONCE} assistants round the clock for the ${hoursBefore / 24} days of ${year} before the period`, path: ['ordning', 'vedtak', 'usedHoursThisYear'] }];
  return [];
}

/** Overrides within what the profile's legal basis allows (solver/rules/legal-limits.ts). */
const overrideIssues = (r: Parsed): Issue[] =>
  overrideProblems(r.rules.profile, r.rules.overrides).map((p) => ({ message: p.message, path: ['rules', 'overrides', p.field] }));

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
  .refine((s) => localBefore(s.from, s.to), { message: 'to must be after from', path: ['to'] });
export type SickLeaveRequest = z.output<typeof SickLeaveRequestSchema>;

/** A pool member: the assistant shape above; its `id` may be left out (the path names it). */
export const PoolAssistantSchema = AssistantSchema.partial({ id: true });
export type PoolAssistantInput = z.input<typeof PoolAssistantSchema>;
