import { z } from 'zod';
import { PoolAssistantSchema, SickLeaveRequestSchema, type ScheduleRequestInput } from '../../solver/request.ts';
import { ScheduleResultSchema } from '../../solver/result.ts';
import { BodyIdSchema, ScheduleIdSchema, VersionSchema } from '../ids.ts';
import { ConfirmBodySchema, ConfirmedSchema, HourBankSchema, OrdningBodySchema, OrdningSchema, TimesheetEntryBodySchema, TimesheetEntrySchema, TimesheetQuerySchema, TimesheetSchema, YearQuerySchema } from '../ordning/schemas.ts';
import { exampleEvents } from './events.ts';
import { NoticeSchema } from '../notices/notifier.ts';
import { AcceptedSchema, CreateScheduleSchema, ErrorSchema, HealthSchema, WebhookSecretSchema, LinkSchema, ListQuerySchema, PoolMemberSchema, PoolSchema, ReadySchema, ScheduleListSchema, ScheduleSummarySchema, ScheduleViewSchema, SickLeaveAcceptedSchema, ViewQuerySchema } from './schemas.ts';
import { LinkRequestSchema } from './views.ts';
import { AuditPageSchema, AuditQuerySchema, CreatedKeySchema, KeyIdSchema, KeyRequestSchema } from './admin.ts';

/**
 * The OpenAPI document, built from the same zod schemas the routes parse and answer with. Every
 * route of the app has its operation here: test/openapi.test.ts fails for one that does not.
 */

type Status = 200 | 201 | 202 | 204 | 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429 | 503;
/** A response's body: JSON with its zod schema, or text of another media type (the views, payroll). */
interface ResponseDoc {
  description: string;
  schema?: z.ZodType;
  location?: true;
  text?: { media: 'text/html' | 'text/calendar' | 'text/csv' | 'text/event-stream' | 'text/plain'; example: string; headers?: Record<string, string> };
}
interface Operation {
  method: 'get' | 'post' | 'put' | 'delete';
  /** In OpenAPI's form: `/schedules/{id}`. */
  path: string;
  operationId: string;
  tag: 'schedules' | 'views' | 'ordninger' | 'pools' | 'service' | 'admin';
  /**
   * Who may call it (src/http/auth.ts): a tenant's API key (the default), the key or a view's
   * signed `?token=` (`link`), the admin key (`admin`), the admin key once ADMIN_KEY is set and
   * anyone before (`admin-if-keys`), or anyone (`open`).
   */
  access?: 'open' | 'link' | 'admin' | 'admin-if-keys';
  summary: string;
  params?: Record<string, z.ZodType>;
  query?: z.ZodObject;
  headers?: Record<string, { schema: z.ZodType; description: string }>;
  body?: { schema: z.ZodType; example: unknown };
  responses: Partial<Record<Status, ResponseDoc>>;
}

const exampleRequest: ScheduleRequestInput = {
  ordning: { id: 'ord-17', timezone: 'Europe/Oslo', vedtak: { hoursPerWeek: 42, year: 2027 } },
  period: { start: '2027-01-04', weeks: 4 },
  needs: [{ id: 'morning', label: 'Morgen', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '07:00', end: '15:00' }],
  assistants: [
    { id: 'a1', name: 'Kari', positionPercent: 60 },
    { id: 'a2', name: 'Ola', positionPercent: 40 },
  ],
};

const err = (description: string) => ({ description, schema: ErrorSchema });
const invalid = err('invalid input: `details` names each field and why');
const unavailable = err('the store or queue does not answer; try again shortly');
const scheduleId = { id: ScheduleIdSchema };

// Real first rows (src/views/timeliste.ts, src/ordning/payroll.ts; docs/timeliste.md has every column).
const exampleTimeliste = 'dato,assistent_id,navn,vakt_id,behov,start,slutt,timer,type,dagtimer,kveldstimer,natttimer,helgetimer,helligdagstimer\r\n2027-01-04,a1,Kari,morning-2027-01-04,Morgen,07:00,15:00,8,aktiv,8,0,0,0,0\r\n';
const examplePayroll = 'assistantId,date,start,end,hours,kind\r\na1,2027-01-04,07:00,15:00,8.00,active\r\n';
const viewErrors = {
  400: err('`lang` is neither nb nor en'),
  403: err('the `token` is expired, revoked, altered or for another view'),
  409: err('`schedule_not_ready`: the schedule has no plan yet'),
  503: unavailable,
} as const;
const privateView = { 'Cache-Control': 'private, no-store' };

/** The human views (src/http/views.ts): open like the API, or read with a signed link's `?token=`. */
const VIEW_OPERATIONS: Operation[] = [
  {
    method: 'get', path: '/schedules/{id}/turnus', operationId: 'getTurnusPage', tag: 'views', access: 'link', summary: 'The latest plan as a printable turnus page',
    params: scheduleId, query: ViewQuerySchema,
    responses: {
      200: { description: 'the turnus page', text: { media: 'text/html', example: '<!doctype html><html lang="nb">…</html>', headers: { ...privateView, 'Content-Language': 'nb or en' } } },
      ...viewErrors, 404: err('no such schedule'),
    },
  },
  {
    method: 'get', path: '/schedules/{id}/versions/{n}/turnus', operationId: 'getTurnusPageVersion', tag: 'views', access: 'link', summary: 'One version of the plan as a turnus page',
    params: { ...scheduleId, n: VersionSchema }, query: ViewQuerySchema,
    responses: {
      200: { description: 'the turnus page of that version', text: { media: 'text/html', example: '<!doctype html><html lang="nb">…</html>', headers: { ...privateView, 'Content-Language': 'nb or en' } } },
      ...viewErrors, 400: err('`n` is not a whole number from 1, or `lang` is neither nb nor en'), 404: err('no such schedule or version'),
    },
  },
  {
    method: 'get', path: '/schedules/{id}/assistants/{assistantId}/calendar.ics', operationId: 'getAssistantCalendar', tag: 'views', access: 'link', summary: 'An assistant\'s shifts as an iCalendar feed to subscribe to',
    params: { ...scheduleId, assistantId: BodyIdSchema }, query: ViewQuerySchema,
    responses: {
      200: { description: 'the feed: every version\'s shifts of this assistant, cancelled ones marked so', text: { media: 'text/calendar', example: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\n…\r\nEND:VCALENDAR\r\n', headers: { 'Cache-Control': 'private, no-cache' } } },
      ...viewErrors, 404: err('no such schedule, or no such assistant in it'),
    },
  },
  {
    method: 'get', path: '/schedules/{id}/timeliste.csv', operationId: 'getTimeliste', tag: 'views', access: 'link', summary: 'The latest plan as a timeliste (CSV, one row per assistant and shift)',
    params: scheduleId, query: ViewQuerySchema,
    responses: {
      200: { description: 'the timeliste, as an attachment', text: { media: 'text/csv', example: exampleTimeliste, headers: { ...privateView, 'Content-Disposition': 'attachment; filename="timeliste-<period start>.csv"', 'Content-Language': 'nb or en' } } },
      ...viewErrors, 404: err('no such schedule'),
    },
  },
  {
    method: 'post', path: '/schedules/{id}/links', operationId: 'createViewLink', tag: 'views', summary: 'A signed link to one view, to share without API access',
    params: scheduleId,
    body: { schema: LinkRequestSchema, example: { scope: 'calendar', assistantId: 'a1', expiresInDays: 30 } },
    responses: {
      201: { description: 'the link', schema: LinkSchema },
      400: invalid, 404: err('no such schedule'), 413: err('the body is over 4096 bytes'), 415: err('the body is not application/json'), 503: unavailable,
    },
  },
];

/** API keys and the audit log, behind the admin key (src/http/admin.ts). */
const ADMIN_OPERATIONS: Operation[] = [
  {
    method: 'post', path: '/admin/keys', operationId: 'createApiKey', tag: 'admin', access: 'admin', summary: 'Create an API key for a tenant (the key is shown once)',
    body: { schema: KeyRequestSchema, example: { tenantId: 'drammen-kommune', scopes: ['read', 'write'], label: 'fagsystem' } },
    responses: { 201: { description: 'the key, with the secret shown this once', schema: CreatedKeySchema }, 400: invalid, 413: err('the body is over 4096 bytes') },
  },
  {
    method: 'delete', path: '/admin/keys/{id}', operationId: 'revokeApiKey', tag: 'admin', access: 'admin', summary: 'Revoke an API key at once',
    params: { id: KeyIdSchema },
    responses: { 204: { description: 'revoked' }, 404: err('no such key') },
  },
  {
    method: 'get', path: '/admin/audit', operationId: 'getAuditLog', tag: 'admin', access: 'admin', summary: 'The audit log: who created, re-planned or deleted what, and key changes; newest first',
    query: AuditQuerySchema,
    responses: { 200: { description: 'one page of entries', schema: AuditPageSchema }, 400: invalid },
  },
];

const ordningId = { id: BodyIdSchema };
const changedByHeader = { 'X-Changed-By': { schema: z.string().max(200), description: 'who registers or corrects it (the body\'s `changedBy` wins); kept in the entry\'s history' } };
const noOrdning = err('no such ordning');
const bodyErrors = { 413: err('the body is over the size limit'), 415: err('the body is not application/json') } as const;
const overlap = err('`timesheet_overlap`: the entry overlaps another of the same assistant; `error.overlaps` lists both entries of each overlap');
const exampleEntry = { assistantId: 'a1', start: '2027-01-04T07:00', end: '2027-01-04T15:00', kind: 'active' };

/** The ordninger, their timesheet, hour bank and payroll export (src/http/ordninger.ts). */
const ORDNING_OPERATIONS: Operation[] = [
  {
    method: 'put', path: '/ordninger/{id}', operationId: 'putOrdning', tag: 'ordninger', summary: 'Register or update an ordning with its vedtak and assistants',
    params: ordningId,
    body: {
      schema: OrdningBodySchema,
      example: { timezone: 'Europe/Oslo', vedtak: { hoursPerWeek: 42, from: '2027-01-01', changes: [{ from: '2027-07-01', hoursPerWeek: 45 }] }, assistants: [{ id: 'a1', positionPercent: 60, name: 'Kari' }, { id: 'a2', positionPercent: 40, name: 'Ola' }] },
    },
    responses: { 200: { description: 'updated', schema: OrdningSchema }, 201: { description: 'registered', schema: OrdningSchema }, 400: invalid, 409: err('an embedded service holds its most ordninger (MAX_ORDNINGER_IN_MEMORY)'), ...bodyErrors, 503: unavailable },
  },
  {
    method: 'get', path: '/ordninger/{id}', operationId: 'getOrdning', tag: 'ordninger', summary: 'An ordning',
    params: ordningId,
    responses: { 200: { description: 'the ordning', schema: OrdningSchema }, 404: noOrdning, 503: unavailable },
  },
  {
    method: 'delete', path: '/ordninger/{id}', operationId: 'deleteOrdning', tag: 'ordninger', summary: 'Delete an ordning with its timesheet',
    params: ordningId,
    responses: { 204: { description: 'deleted' }, 404: noOrdning, 503: unavailable },
  },
  {
    method: 'get', path: '/ordninger/{id}/timesheet', operationId: 'getTimesheet', tag: 'ordninger', summary: 'The hours worked, as registered, with each entry\'s history',
    params: ordningId, query: TimesheetQuerySchema,
    responses: { 200: { description: 'the timesheet', schema: TimesheetSchema }, 404: noOrdning, 503: unavailable },
  },
  {
    method: 'post', path: '/ordninger/{id}/timesheet', operationId: 'addTimesheetEntry', tag: 'ordninger', summary: 'Register hours worked',
    params: ordningId, headers: changedByHeader,
    body: { schema: TimesheetEntryBodySchema, example: exampleEntry },
    responses: { 201: { description: 'registered', schema: TimesheetEntrySchema }, 400: invalid, 404: noOrdning, 409: overlap, ...bodyErrors, 503: unavailable },
  },
  {
    method: 'post', path: '/ordninger/{id}/timesheet/confirm', operationId: 'confirmPlanAsWorked', tag: 'ordninger', summary: 'Register a plan\'s shifts up to a time as worked',
    params: ordningId, headers: changedByHeader,
    body: { schema: ConfirmBodySchema, example: { scheduleId: '4f0c8a8e-5a4e-4a53-9f0e-3b1c7f1f2a10', version: 1, upTo: '2027-01-11' } },
    responses: {
      201: { description: 'the entries added; shifts already registered are not added again', schema: ConfirmedSchema },
      400: err('invalid input, or the schedule or version is not one of this ordning\'s: `details` names the field'), 404: noOrdning, 409: overlap, ...bodyErrors, 503: unavailable,
    },
  },
  {
    method: 'put', path: '/ordninger/{id}/timesheet/{entryId}', operationId: 'correctTimesheetEntry', tag: 'ordninger', summary: 'Correct a timesheet entry, keeping its earlier form in its history',
    params: { ...ordningId, entryId: z.string() }, headers: changedByHeader,
    body: { schema: TimesheetEntryBodySchema, example: { ...exampleEntry, end: '2027-01-04T16:00', changedBy: 'arbeidsleder' } },
    responses: { 200: { description: 'corrected', schema: TimesheetEntrySchema }, 400: invalid, 404: err('no such ordning or timesheet entry'), 409: overlap, ...bodyErrors, 503: unavailable },
  },
  {
    method: 'get', path: '/ordninger/{id}/hours', operationId: 'getHourBank', tag: 'ordninger', summary: 'The year\'s hour bank: vedtak, planned and worked hours by week, and the forecast',
    params: ordningId, query: YearQuerySchema,
    responses: { 200: { description: 'the hour bank', schema: HourBankSchema }, 400: err('bad `year` or `asOf`, or no vedtak that year'), 404: noOrdning, 503: unavailable },
  },
  {
    method: 'get', path: '/ordninger/{id}/payroll', operationId: 'getPayrollExport', tag: 'ordninger', summary: 'The year\'s worked hours as CSV for payroll',
    params: ordningId, query: YearQuerySchema,
    responses: {
      200: { description: 'the payroll export, as an attachment', text: { media: 'text/csv', example: examplePayroll, headers: { 'Content-Disposition': 'attachment; filename="worked-<year>.csv"' } } },
      400: err('bad `year` or `asOf`, or no vedtak that year'), 404: noOrdning, 503: unavailable,
    },
  },
];

export const OPERATIONS: Operation[] = [
  {
    method: 'post', path: '/schedules', operationId: 'createSchedule', tag: 'schedules', summary: 'Queue a schedule for planning',
    headers: { 'Idempotency-Key': { schema: z.string().regex(/^[\w.:-]{1,200}$/), description: 'the same key with the same body answers the same schedule; with another body 409' } },
    body: { schema: CreateScheduleSchema, example: exampleRequest },
    responses: {
      202: { description: 'queued', schema: AcceptedSchema, location: true },
      400: err('invalid input: `details` names each field and why; `callbackUrl` when webhooks are off, its host is not allowed or it resolves to a private address'), 409: err('this Idempotency-Key was used with another body'), 413: err('the body is over the size limit'),
      415: err('the body is not application/json'),
      422: err('`too_large`: the model would exceed what one solve may hold (PLANNER_MAX_CHOICES shift-assistant choices), or the time limit is too short for its size; `details` names `period.weeks` or `solver.timeLimitSeconds`'),
      503: unavailable,
    },
  },
  {
    method: 'get', path: '/schedules', operationId: 'listSchedules', tag: 'schedules', summary: 'List schedules, newest first, a page at a time',
    query: ListQuerySchema,
    responses: { 200: { description: 'one page', schema: ScheduleListSchema }, 400: invalid, 503: unavailable },
  },
  {
    method: 'get', path: '/schedules/{id}', operationId: 'getSchedule', tag: 'schedules', summary: 'Status and latest plan of a schedule',
    params: scheduleId,
    responses: { 200: { description: 'the schedule; `result` once completed', schema: ScheduleViewSchema }, 404: err('no such schedule'), 503: unavailable },
  },
  {
    method: 'delete', path: '/schedules/{id}', operationId: 'deleteSchedule', tag: 'schedules', summary: 'Delete a schedule with its input and plans',
    params: scheduleId,
    responses: { 204: { description: 'deleted; a solve running for it stops' }, 404: err('no such schedule'), 503: unavailable },
  },
  {
    method: 'post', path: '/schedules/{id}/cancel', operationId: 'cancelSchedule', tag: 'schedules', summary: 'Cancel a queued or solving schedule',
    params: scheduleId,
    responses: {
      202: { description: 'cancelling: a queued schedule stops before it starts (failed, `cancelled`), a solving one stops within seconds and keeps its best plan so far as a new version (`result.solver.cancelled`)', schema: ScheduleSummarySchema, location: true },
      404: err('no such schedule'), 409: err('`not_running`: the schedule is neither queued nor solving'), 503: unavailable,
    },
  },
  {
    method: 'get', path: '/schedules/{id}/versions/{n}', operationId: 'getScheduleVersion', tag: 'schedules', summary: 'One version of a schedule\'s plan',
    params: { ...scheduleId, n: VersionSchema },
    responses: { 200: { description: 'that version', schema: ScheduleResultSchema }, 400: invalid, 404: err('no such schedule version'), 503: unavailable },
  },
  {
    method: 'post', path: '/schedules/{id}/sick-leave', operationId: 'reportSickLeave', tag: 'schedules', summary: 'Report sick leave (of a team member, or of a member of the schedule\'s pool) and queue a re-plan',
    params: scheduleId,
    body: { schema: SickLeaveRequestSchema, example: { assistantId: 'a2', from: '2027-01-11T00:00', to: '2027-01-14T00:00' } },
    responses: {
      202: { description: 're-plan queued', schema: SickLeaveAcceptedSchema, location: true },
      400: invalid, 404: err('no such schedule'), 409: err('the schedule has no plan yet'), 413: err('the body is over the size limit'),
      415: err('the body is not application/json'), 503: unavailable,
    },
  },
  ...VIEW_OPERATIONS,
  {
    method: 'put', path: '/pools/{poolId}/assistants/{assistantId}', operationId: 'putPoolAssistant', tag: 'pools', summary: 'Register or update a pool assistant',
    params: { poolId: BodyIdSchema, assistantId: BodyIdSchema },
    body: { schema: PoolAssistantSchema, example: { id: 'p7', name: 'Per', positionPercent: 20, skills: ['lifting'] } },
    responses: {
      200: { description: 'updated', schema: PoolMemberSchema }, 201: { description: 'registered', schema: PoolMemberSchema },
      400: invalid, 409: err('the pool holds its most members (POOL_MAX_MEMBERS), or an embedded service its most pools; or the assistant is booked for shifts the new record rules out, in a spell given as unavailable or needing a skill taken away (report sick leave for them on those schedules first)'), 413: err('the body is over the size limit'), 415: err('the body is not application/json'), 503: unavailable,
    },
  },
  {
    method: 'delete', path: '/pools/{poolId}/assistants/{assistantId}', operationId: 'deletePoolAssistant', tag: 'pools', summary: 'Remove a pool assistant no plan has booked',
    params: { poolId: BodyIdSchema, assistantId: BodyIdSchema },
    responses: { 204: { description: 'removed' }, 400: invalid, 404: err('no such pool assistant'), 409: err('the assistant is booked in a schedule of this pool'), 503: unavailable },
  },
  {
    method: 'get', path: '/pools/{poolId}', operationId: 'getPool', tag: 'pools', summary: 'A pool\'s members with their bookings across ordninger',
    params: { poolId: BodyIdSchema },
    responses: { 200: { description: 'the pool', schema: PoolSchema }, 400: invalid, 404: err('no such pool'), 503: unavailable },
  },
  {
    method: 'get', path: '/schedules/{id}/events', operationId: 'followSchedule', tag: 'schedules', summary: 'Server-sent events of a schedule\'s status and progress until it is completed or failed',
    params: scheduleId,
    responses: {
      200: {
        description: 'an event stream: `status` ({status, version, error?: {code}}) and `progress` ({fraction, phase}) each when it changes, `: heartbeat` comments, and last `done` (the terminal status, or `deleted`), after which the stream ends',
        text: { media: 'text/event-stream', example: exampleEvents },
      },
      404: err('no such schedule'), 503: unavailable,
    },
  },
  {
    method: 'get', path: '/webhooks/secret', operationId: 'getWebhookSecret', tag: 'service', summary: 'The key this tenant\'s completion notices (callbackUrl) are signed with',
    responses: { 200: { description: 'the key', schema: WebhookSecretSchema }, 404: err('webhooks are off, or there are no API keys (then WEBHOOK_SECRET signs every notice)') },
  },
  ...ORDNING_OPERATIONS,
  ...ADMIN_OPERATIONS,
  {
    method: 'get', path: '/admin/queues', operationId: 'queueDashboard', tag: 'admin', access: 'admin', summary: 'Bull Board: the planning and notice queues (Redis mode only)',
    responses: { 200: { description: 'the dashboard\'s page', text: { media: 'text/html', example: '<!doctype html>…' } }, 404: err('embedded mode: there is no BullMQ queue to show') },
  },
  {
    method: 'get', path: '/metrics', operationId: 'metrics', tag: 'service', access: 'admin-if-keys', summary: 'Prometheus metrics: jobs, queue depth, solve times, plan outcomes, coverage and gap, HTTP latency, webhook deliveries',
    responses: { 200: { description: 'Prometheus text format 0.0.4', text: { media: 'text/plain', example: '# HELP turnus_queue_depth Planning jobs waiting to start (waiting and delayed)\n# TYPE turnus_queue_depth gauge\nturnus_queue_depth 0\n' } } },
  },
  { method: 'get', path: '/healthz', operationId: 'health', tag: 'service', access: 'open', summary: 'Liveness', responses: { 200: { description: 'the process serves', schema: HealthSchema } } },
  {
    method: 'get', path: '/readyz', operationId: 'ready', tag: 'service', access: 'open', summary: 'Readiness: store and queue answer',
    responses: { 200: { description: 'ready', schema: ReadySchema }, 503: err('store or queue does not answer') },
  },
  { method: 'get', path: '/openapi.json', operationId: 'openApi', tag: 'service', access: 'open', summary: 'This document', responses: { 200: { description: 'the OpenAPI document' } } },
  { method: 'get', path: '/docs', operationId: 'docs', tag: 'service', access: 'open', summary: 'This document, to read in a browser', responses: { 200: { description: 'an HTML page', text: { media: 'text/html', example: '<!doctype html>…' } } } },
];

type JsonSchema = Record<string, unknown>;

/** Zod to JSON Schema, with every schema that has an `id` moved to `components.schemas`. */
function converter() {
  const components: Record<string, JsonSchema> = {};
  const convert = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
    const { $schema: _, $defs, ...json } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema & { $defs?: Record<string, JsonSchema> };
    const refs = (x: unknown) => JSON.parse(JSON.stringify(x).replaceAll('"#/$defs/', '"#/components/schemas/')) as JsonSchema;
    for (const [id, def] of Object.entries($defs ?? {})) components[id] ??= refs(def);
    const id = schema.meta()?.id;
    if (typeof id === 'string') {
      components[id] ??= refs(json);
      return { $ref: `#/components/schemas/${id}` };
    }
    return refs(json);
  };
  return { convert, components };
}

/** The answers of the access check (src/http/auth.ts) every guarded operation may give. */
function accessAnswers(op: Operation): Operation['responses'] {
  if (op.access === 'open') return {};
  if (op.access === 'admin-if-keys') return { 401: err('ADMIN_KEY is set, and no admin key was sent (`WWW-Authenticate: Bearer`)') };
  if (op.access === 'admin') return { 401: err('no admin key, or not the admin key (`WWW-Authenticate: Bearer`)'), 403: err('`admin_disabled`: the service runs without ADMIN_KEY') };
  return {
    401: err('no API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`)'),
    ...(op.method === 'get' ? {} : { 403: err('the key has the `read` scope only') }),
    429: err('`rate_limited`: over RATE_LIMIT_PER_MINUTE requests with this key; `Retry-After` says when to try again'),
  };
}

const SECURITY = { open: [], admin: [{ adminKey: [] }], 'admin-if-keys': [{ adminKey: [] }, {}], link: [{ apiKey: [] }, { linkToken: [] }], tenant: [{ apiKey: [] }] };

function operation(op: Operation, convert: ReturnType<typeof converter>['convert']) {
  const parameters = [
    ...Object.entries(op.params ?? {}).map(([name, schema]) => ({ name, in: 'path', required: true, schema: convert(schema, 'input') })),
    ...Object.entries(op.query?.shape ?? {}).map(([name, schema]) => {
      const { description, ...json } = convert(schema as z.ZodType, 'input');
      // Required when the query's schema refuses its absence (a default or .optional() accepts it).
      const required = !(schema as z.ZodType).safeParse(undefined).success;
      return { name, in: 'query', required, ...(description ? { description } : {}), schema: json };
    }),
    ...Object.entries(op.headers ?? {}).map(([name, h]) => ({ name, in: 'header', required: false, description: h.description, schema: convert(h.schema, 'input') })),
  ];
  // A route's own description of a status (a view's 403) says more than the access check's.
  const responses = Object.fromEntries(
    Object.entries({ ...accessAnswers(op), ...op.responses }).map(([status, r]) => [
      status,
      {
        description: r.description,
        ...(r.location ? { headers: { Location: { description: 'where to read the schedule', schema: { type: 'string' } } } } : {}),
        ...(status === '429' ? { headers: { 'Retry-After': { description: 'seconds until the key\'s window opens again', schema: { type: 'integer' } } } } : {}),
        ...(status === '401' ? { headers: { 'WWW-Authenticate': { description: 'Bearer', schema: { type: 'string' } } } } : {}),
        ...(r.text?.headers ? { headers: Object.fromEntries(Object.entries(r.text.headers).map(([name, value]) => [name, { description: value, schema: { type: 'string' } }])) } : {}),
        ...(r.schema ? { content: { 'application/json': { schema: convert(r.schema, 'output') } } } : {}),
        ...(r.text ? { content: { [r.text.media]: { schema: { type: 'string' }, example: r.text.example } } } : {}),
      },
    ]),
  );
  return {
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
    security: SECURITY[op.access ?? 'tenant'],
    ...(parameters.length ? { parameters } : {}),
    ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: convert(op.body.schema, 'input'), example: op.body.example } } } } : {}),
    responses,
  };
}

export function openApiDocument(version: string) {
  const { convert, components } = converter();
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) (paths[op.path] ??= {})[op.method] = operation(op, convert);
  return {
    openapi: '3.1.0',
    info: {
      title: 'bpa-turnus',
      version,
      description: 'Work schedules (turnus) for Norwegian BPA arrangements. Shapes other apps depend on: shared/api-contract.md.',
    },
    servers: [{ url: '/' }],
    // Each operation says who may call it; anything new needs a tenant's API key.
    security: [{ apiKey: [] }],
    tags: [
      { name: 'schedules', description: 'Plan, read, re-plan and delete schedules' },
      { name: 'views', description: 'A schedule for people: turnus page, calendar feeds, timeliste and signed links to them' },
      { name: 'ordninger', description: 'Ordninger with their vedtak, timesheet, hour bank and payroll export' },
      { name: 'pools', description: 'Shared pools of assistants across ordninger' },
      { name: 'service', description: 'Health, readiness and this document' },
      { name: 'admin', description: 'API keys per tenant and the audit log, with the admin key (ADMIN_KEY)' },
    ],
    paths,
    // What this service sends (README: Completion notices), not a route it serves.
    webhooks: {
      scheduleEnded: {
        post: {
          operationId: 'scheduleEnded',
          tags: ['schedules'],
          summary: 'A schedule\'s job ended: sent to its callbackUrl and to WEBHOOK_URL',
          description: 'At least once, retried with backoff on a non-2xx answer or none within 5 s; 410 stops the retries. Verify `X-Turnus-Signature` (HMAC-SHA256 with WEBHOOK_SECRET of "<t>.<raw body>") and de-duplicate on `X-Turnus-Delivery`.',
          security: [],
          parameters: [
            { name: 'X-Turnus-Signature', in: 'header', required: true, description: '`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`', schema: { type: 'string' } },
            { name: 'X-Turnus-Delivery', in: 'header', required: true, description: 'the same on every retry of one delivery', schema: { type: 'string', format: 'uuid' } },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: convert(NoticeSchema, 'output'), example: { event: 'schedule.completed', scheduleId: '8764a6a5-2d1c-4f4e-9a7b-0c1d2e3f4a5b', status: 'completed', version: 1, outcome: 'optimal', at: '2027-01-05T10:00:00.000Z' } } } },
          responses: { 200: { description: 'any 2xx: delivered' }, 410: { description: 'gone: no more tries of this delivery' } },
        },
      },
    },
    components: {
      schemas: components,
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'A tenant\'s API key (`bt_...`, from POST /admin/keys). Required once the service runs with ADMIN_KEY; without it the service listens on localhost only and needs none.' },
        adminKey: { type: 'http', scheme: 'bearer', description: 'The ADMIN_KEY the service was started with' },
        linkToken: { type: 'apiKey', in: 'query', name: 'token', description: 'A signed read-only link\'s token (POST /schedules/{id}/links), for the views only' },
      },
    },
  };
}
