import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { DateTime } from 'luxon';
import type { ScheduleRequest } from '../../solver/request.ts';
import { problem, zodDetails, type ErrorDetail } from '../errors.ts';
import { validBody } from './body.ts';
import { BodyIdSchema } from '../ids.ts';
import type { Logger } from '../logger.ts';
import type { OrdningStore, ScheduleStore } from '../ports.ts';
import { hourBank, usedBefore, type Plan } from '../ordning/bank.ts';
import { round2 } from '../../solver/budget.ts';
import { payrollCsv } from '../ordning/payroll.ts';
import { ConfirmBodySchema, OrdningBodySchema, TimesheetEntryBodySchema, YearQuerySchema, type HourBank, type Ordning, type WorkedFields } from '../ordning/schemas.ts';
import { addEntries, correctEntry, entryProblems, type Overlap, type WriteOutcome } from '../ordning/timesheet.ts';
import { hasVedtakIn, localMs, vedtakHoursIn, vedtakOn, yearStart } from '../ordning/vedtak.ts';

export interface OrdningDeps {
  ordninger: OrdningStore;
  store: ScheduleStore;
  log: Logger;
  bodyLimitBytes: number;
}

const describe = (e: WorkedFields & { id?: string }) => `${e.id ? `entry ${e.id} ` : 'the new entry '}(${e.assistantId}, ${e.start} to ${e.end})`;

/** 409 naming both entries of each overlap. */
const overlapProblem = (c: Context, overlaps: Overlap[]) =>
  c.json({
    error: {
      code: 'timesheet_overlap',
      message: overlaps.map((o) => `${describe(o.entry)} overlaps ${describe(o.existing)}`).join('; '),
      details: overlaps.map((o) => ({ path: 'start', message: `overlaps ${describe(o.existing)}` })),
      overlaps,
    },
  }, 409);

/** The latest plan of every schedule made for the ordning. */
async function plansOf(deps: OrdningDeps, id: string): Promise<Plan[]> {
  const ids = await deps.ordninger.schedules(id);
  const plans = await Promise.all(ids.map(async (scheduleId) => {
    const record = await deps.store.get(scheduleId);
    if (!record || record.version === 0) return null;
    const [request, result] = await Promise.all([deps.store.getInput(scheduleId), deps.store.getVersion(scheduleId, record.version)]);
    return request && result ? { scheduleId, createdAt: record.createdAt, request, result } : null;
  }));
  return plans.filter((p): p is Plan => p !== null);
}

/**
 * A plan for an ordning with a bank takes the year's used hours from it when the request gives
 * none: worked before the period, and planned before it and not yet worked. Answers the request to
 * store (unchanged when there is no bank), and links the schedule once created (`link`).
 */
export async function withBank(deps: Pick<OrdningDeps, 'ordninger' | 'store'>, request: ScheduleRequest): Promise<{ request: ScheduleRequest; link: (scheduleId: string) => Promise<void> }> {
  const o = await deps.ordninger.get(request.ordning.id);
  if (!o) return { request, link: async () => {} };
  const link = (scheduleId: string) => deps.ordninger.linkSchedule(o.id, scheduleId);
  const vedtak = { ...request.ordning.vedtak };
  const year = vedtak.year;
  // The stored vedtak is the year's account: its changes within the year, and next year's hours.
  if (vedtak.yearHours === undefined) vedtak.yearHours = round2(vedtakHoursIn(o, yearStart(year, o.timezone), yearStart(year + 1, o.timezone)));
  const next = vedtakOn(o, `${year + 1}-01-01`);
  if (vedtak.nextYearHoursPerWeek === undefined && next) vedtak.nextYearHoursPerWeek = next.hoursPerWeek;
  if (vedtak.usedHoursThisYear === undefined) {
    const [{ entries }, plans] = await Promise.all([deps.ordninger.timesheet(o.id), plansOf(deps as OrdningDeps, o.id)]);
    vedtak.usedHoursThisYear = usedBefore(o, entries, plans, year, request.period.start);
  }
  return { request: { ...request, ordning: { ...request.ordning, vedtak } }, link };
}

/**
 * A request names a vedtak year; its period must start in that year (solver/request.ts). When the
 * ordning is stored with a vedtak for the year the period starts in, that vedtak is the one: the
 * request's year and weekly hours are taken from it before validation. Otherwise the body is as sent.
 */
export async function vedtakForPeriod(ordninger: OrdningStore, body: unknown): Promise<unknown> {
  const b = body as { ordning?: { id?: unknown; vedtak?: { year?: unknown } }; period?: { start?: unknown } } | null;
  const id = BodyIdSchema.safeParse(b?.ordning?.id);
  const start = typeof b?.period?.start === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(b.period.start) ? b.period.start : null;
  if (!id.success || !start || !b?.ordning?.vedtak || typeof b.ordning.vedtak !== 'object' || b.ordning.vedtak.year === Number(start.slice(0, 4))) return body;
  const o = await ordninger.get(id.data);
  const v = o && vedtakOn(o, start);
  if (!o || !v) return body;
  return { ...b, ordning: { ...b.ordning, vedtak: { ...b.ordning.vedtak, year: Number(start.slice(0, 4)), hoursPerWeek: v.hoursPerWeek, passiveHoursFactor: v.passiveHoursFactor } } };
}

const localOf = (iso: string, zone: string) => DateTime.fromISO(iso, { setZone: true }).setZone(zone).toFormat("yyyy-MM-dd'T'HH:mm");

export function ordningRoutes(app: Hono, deps: OrdningDeps) {
  const { ordninger, store, log } = deps;
  const limit = bodyLimit({ maxSize: deps.bodyLimitBytes, onError: (c) => problem(c, 413, 'payload_too_large', `the body is over ${deps.bodyLimitBytes} bytes`) });
  const idOf = (c: Context) => {
    const parsed = BodyIdSchema.safeParse(c.req.param('id'));
    return parsed.success ? parsed.data : null;
  };
  /** The ordning of the path, or the 404 that says there is none. */
  const load = async (c: Context): Promise<{ o: Ordning } | { error: Response }> => {
    const id = idOf(c);
    const o = id ? await ordninger.get(id) : null;
    return o ? { o } : { error: problem(c, 404, 'not_found', 'no such ordning') };
  };
  const changedBy = (c: Context, body?: string) => body ?? c.req.header('x-changed-by')?.slice(0, 200);
  const yearOf = (c: Context, o: Ordning): { year: number; asOf?: string } | { error: Response } => {
    const q = YearQuerySchema.safeParse({ year: c.req.query('year'), asOf: c.req.query('asOf') });
    if (!q.success) return { error: problem(c, 400, 'invalid_request', 'bad query', zodDetails(q.error)) };
    if (!hasVedtakIn(o, q.data.year)) return { error: problem(c, 400, 'invalid_request', 'no vedtak that year', [{ path: 'year', message: `the vedtak runs ${o.vedtak.from} to ${o.vedtak.to ?? 'open'}` }]) };
    return q.data;
  };
  /** The ordning of the path and a timesheet entry that fits it, or the error answer saying why not. */
  const validEntry = async (c: Context): Promise<{ o: Ordning; fields: WorkedFields; by?: string } | { error: Response }> => {
    const found = await load(c);
    if ('error' in found) return found;
    const body = await validBody(c, TimesheetEntryBodySchema, 'timesheet entry');
    if ('error' in body) return body;
    const { changedBy: by, ...fields } = body.data;
    const bad = entryProblems(found.o, fields);
    if (bad.length) return { error: problem(c, 400, 'invalid_request', 'the entry does not fit the ordning', bad) };
    return { o: found.o, fields, by: changedBy(c, by) };
  };
  const written = <T>(c: Context, out: WriteOutcome<T>, status: 200 | 201, answer: (v: T) => unknown) => {
    if (out.kind === 'overlap') return overlapProblem(c, out.overlaps);
    if (out.kind === 'not-found') return problem(c, 404, 'not_found', 'no such timesheet entry');
    if (out.kind === 'gone') return problem(c, 404, 'not_found', 'no such ordning');
    return c.json(answer(out.value) as object, status);
  };

  app.put('/ordninger/:id', limit, async (c) => {
    const id = idOf(c);
    if (!id) return problem(c, 400, 'invalid_request', 'bad ordning id', [{ path: 'id', message: 'letters, digits and . _ : - only, 1-100 characters' }]);
    const body = await validBody(c, OrdningBodySchema, 'ordning');
    if ('error' in body) return body.error;
    const before = await ordninger.get(id);
    const now = new Date().toISOString();
    const ordning: Ordning = { id, ...body.data, createdAt: before?.createdAt ?? now, updatedAt: now };
    const outcome = await ordninger.put(ordning);
    if (outcome === 'no-room') return problem(c, 409, 'store_full', 'this service holds its most ordninger in memory (MAX_ORDNINGER_IN_MEMORY); delete one, or start it with REDIS_URL', [{ path: 'id', message: 'no room for a new ordning' }]);
    log.info({ ordningId: id, assistants: ordning.assistants.length, hoursPerWeek: ordning.vedtak.hoursPerWeek }, `ordning ${outcome}`);
    return c.json(ordning, outcome === 'created' ? 201 : 200);
  });

  app.get('/ordninger/:id', async (c) => {
    const found = await load(c);
    return 'error' in found ? found.error : c.json(found.o);
  });

  app.delete('/ordninger/:id', async (c) => {
    const id = idOf(c);
    if (!id || !(await ordninger.delete(id))) return problem(c, 404, 'not_found', 'no such ordning');
    return c.body(null, 204);
  });

  app.get('/ordninger/:id/timesheet', async (c) => {
    const found = await load(c);
    if ('error' in found) return found.error;
    const q = YearQuerySchema.pick({ year: true }).partial().safeParse({ year: c.req.query('year') });
    if (!q.success) return problem(c, 400, 'invalid_request', 'bad query', zodDetails(q.error));
    const { entries } = await ordninger.timesheet(found.o.id);
    return c.json({ entries: q.data.year ? entries.filter((e) => e.start.startsWith(`${q.data.year}-`)) : entries });
  });

  app.post('/ordninger/:id/timesheet', limit, async (c) => {
    const entry = await validEntry(c);
    if ('error' in entry) return entry.error;
    const out = await addEntries(ordninger, entry.o, [entry.fields], entry.by);
    return written(c, out, 201, (added) => added[0]);
  });

  app.post('/ordninger/:id/timesheet/confirm', limit, async (c) => {
    const found = await load(c);
    if ('error' in found) return found.error;
    const o = found.o;
    const body = await validBody(c, ConfirmBodySchema, 'confirmation');
    if ('error' in body) return body.error;
    const { scheduleId, version, upTo } = body.data;
    const input = await store.getInput(scheduleId);
    if (!input || input.ordning.id !== o.id) return problem(c, 400, 'invalid_request', 'not a schedule of this ordning', [{ path: 'scheduleId', message: `no schedule ${scheduleId} for ordning ${o.id}` }]);
    const plan = await store.getVersion(scheduleId, version);
    if (!plan) return problem(c, 400, 'invalid_request', 'no such plan version', [{ path: 'version', message: `schedule ${scheduleId} has no version ${version}` }]);
    const until = localMs(upTo, o.timezone);
    const { entries } = await ordninger.timesheet(o.id);
    const done = new Set(entries.map((e) => `${e.scheduleId}|${e.plannedShiftId}|${e.assistantId}`));
    const worked = plan.shifts.filter((s) => Date.parse(s.end) <= until);
    const fields: WorkedFields[] = worked
      .flatMap((s) => s.assistantIds.map((a) => ({ assistantId: a, start: localOf(s.start, o.timezone), end: localOf(s.end, o.timezone), kind: s.kind, plannedShiftId: s.id, scheduleId })))
      .filter((f) => !done.has(`${scheduleId}|${f.plannedShiftId}|${f.assistantId}`));
    const bad: ErrorDetail[] = fields.flatMap((f) => entryProblems(o, f, `shifts.${f.plannedShiftId}.`));
    if (bad.length) return problem(c, 400, 'invalid_request', 'the plan’s shifts do not fit the ordning', bad);
    const out = await addEntries(ordninger, o, fields, changedBy(c, body.data.changedBy));
    log.info({ ordningId: o.id, scheduleId, version, entries: fields.length }, 'plan confirmed as worked');
    return written(c, out, 201, (added) => ({ entries: added, alreadyRegistered: worked.reduce((t, s) => t + s.assistantIds.length, 0) - added.length }));
  });

  app.put('/ordninger/:id/timesheet/:entryId', limit, async (c) => {
    const entry = await validEntry(c);
    if ('error' in entry) return entry.error;
    const out = await correctEntry(ordninger, entry.o, c.req.param('entryId'), entry.fields, entry.by);
    return written(c, out, 200, (entry) => entry);
  });

  app.get('/ordninger/:id/hours', async (c) => {
    const found = await load(c);
    if ('error' in found) return found.error;
    const q = yearOf(c, found.o);
    if ('error' in q) return q.error;
    const [{ entries }, plans] = await Promise.all([ordninger.timesheet(found.o.id), plansOf(deps, found.o.id)]);
    const bank: HourBank = { ordningId: found.o.id, ...hourBank(found.o, entries, plans, q.year, q.asOf) };
    return c.json(bank);
  });

  app.get('/ordninger/:id/payroll', async (c) => {
    const found = await load(c);
    if ('error' in found) return found.error;
    const q = yearOf(c, found.o);
    if ('error' in q) return q.error;
    const { entries } = await ordninger.timesheet(found.o.id);
    c.header('content-type', 'text/csv; charset=utf-8');
    c.header('content-disposition', `attachment; filename="worked-${q.year}.csv"`);
    return c.body(payrollCsv(found.o, entries, q.year));
  });
}
