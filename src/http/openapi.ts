import { z } from 'zod';
import { PoolAssistantSchema, ScheduleRequestSchema, SickLeaveRequestSchema, type ScheduleRequestInput } from '../../solver/request.ts';
import { ScheduleResultSchema } from '../../solver/result.ts';
import { BodyIdSchema, ScheduleIdSchema, VersionSchema } from '../ids.ts';
import { AcceptedSchema, ErrorSchema, HealthSchema, ListQuerySchema, PoolMemberSchema, PoolSchema, ReadySchema, ScheduleListSchema, ScheduleViewSchema, SickLeaveAcceptedSchema } from './schemas.ts';

/**
 * The OpenAPI document, built from the same zod schemas the routes parse and answer with. Every
 * route of the app has its operation here: test/openapi.test.ts fails for one that does not.
 */

type Status = 200 | 201 | 202 | 204 | 400 | 404 | 405 | 409 | 413 | 415 | 503;
interface Operation {
  method: 'get' | 'post' | 'put' | 'delete';
  /** In OpenAPI's form: `/schedules/{id}`. */
  path: string;
  operationId: string;
  tag: 'schedules' | 'pools' | 'service';
  summary: string;
  params?: Record<string, z.ZodType>;
  query?: z.ZodObject;
  headers?: Record<string, { schema: z.ZodType; description: string }>;
  body?: { schema: z.ZodType; example: unknown };
  responses: Partial<Record<Status, { description: string; schema?: z.ZodType; location?: true }>>;
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

export const OPERATIONS: Operation[] = [
  {
    method: 'post', path: '/schedules', operationId: 'createSchedule', tag: 'schedules', summary: 'Queue a schedule for planning',
    headers: { 'Idempotency-Key': { schema: z.string().regex(/^[\w.:-]{1,200}$/), description: 'the same key with the same body answers the same schedule; with another body 409' } },
    body: { schema: ScheduleRequestSchema, example: exampleRequest },
    responses: {
      202: { description: 'queued', schema: AcceptedSchema, location: true },
      400: invalid, 409: err('this Idempotency-Key was used with another body'), 413: err('the body is over the size limit'),
      415: err('the body is not application/json'), 503: unavailable,
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
    responses: { 204: { description: 'deleted' }, 404: err('no such schedule'), 503: unavailable },
  },
  {
    method: 'get', path: '/schedules/{id}/versions/{n}', operationId: 'getScheduleVersion', tag: 'schedules', summary: 'One version of a schedule\'s plan',
    params: { ...scheduleId, n: VersionSchema },
    responses: { 200: { description: 'that version', schema: ScheduleResultSchema }, 400: invalid, 404: err('no such schedule version'), 503: unavailable },
  },
  {
    method: 'post', path: '/schedules/{id}/sick-leave', operationId: 'reportSickLeave', tag: 'schedules', summary: 'Report sick leave and queue a re-plan',
    params: scheduleId,
    body: { schema: SickLeaveRequestSchema, example: { assistantId: 'a2', from: '2027-01-11T00:00', to: '2027-01-14T00:00' } },
    responses: {
      202: { description: 're-plan queued', schema: SickLeaveAcceptedSchema, location: true },
      400: invalid, 404: err('no such schedule'), 409: err('the schedule has no plan yet'), 413: err('the body is over the size limit'),
      415: err('the body is not application/json'), 503: unavailable,
    },
  },
  {
    method: 'put', path: '/pools/{poolId}/assistants/{assistantId}', operationId: 'putPoolAssistant', tag: 'pools', summary: 'Register or update a pool assistant',
    params: { poolId: BodyIdSchema, assistantId: BodyIdSchema },
    body: { schema: PoolAssistantSchema, example: { id: 'p7', name: 'Per', positionPercent: 20, skills: ['lifting'] } },
    responses: {
      200: { description: 'updated', schema: PoolMemberSchema }, 201: { description: 'registered', schema: PoolMemberSchema },
      400: invalid, 413: err('the body is over the size limit'), 415: err('the body is not application/json'), 503: unavailable,
    },
  },
  {
    method: 'get', path: '/pools/{poolId}', operationId: 'getPool', tag: 'pools', summary: 'A pool\'s members with their bookings across ordninger',
    params: { poolId: BodyIdSchema },
    responses: { 200: { description: 'the pool', schema: PoolSchema }, 400: invalid, 404: err('no such pool'), 503: unavailable },
  },
  { method: 'get', path: '/healthz', operationId: 'health', tag: 'service', summary: 'Liveness', responses: { 200: { description: 'the process serves', schema: HealthSchema } } },
  {
    method: 'get', path: '/readyz', operationId: 'ready', tag: 'service', summary: 'Readiness: store and queue answer',
    responses: { 200: { description: 'ready', schema: ReadySchema }, 503: err('store or queue does not answer') },
  },
  { method: 'get', path: '/openapi.json', operationId: 'openApi', tag: 'service', summary: 'This document', responses: { 200: { description: 'the OpenAPI document' } } },
  { method: 'get', path: '/docs', operationId: 'docs', tag: 'service', summary: 'This document, to read in a browser', responses: { 200: { description: 'an HTML page' } } },
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

function operation(op: Operation, convert: ReturnType<typeof converter>['convert']) {
  const parameters = [
    ...Object.entries(op.params ?? {}).map(([name, schema]) => ({ name, in: 'path', required: true, schema: convert(schema, 'input') })),
    ...Object.entries(op.query?.shape ?? {}).map(([name, schema]) => {
      const { description, ...json } = convert(schema as z.ZodType, 'input');
      return { name, in: 'query', required: false, ...(description ? { description } : {}), schema: json };
    }),
    ...Object.entries(op.headers ?? {}).map(([name, h]) => ({ name, in: 'header', required: false, description: h.description, schema: convert(h.schema, 'input') })),
  ];
  const responses = Object.fromEntries(
    Object.entries(op.responses).map(([status, r]) => [
      status,
      {
        description: r.description,
        ...(r.location ? { headers: { Location: { description: 'where to read the schedule', schema: { type: 'string' } } } } : {}),
        ...(r.schema ? { content: { 'application/json': { schema: convert(r.schema, 'output') } } } : {}),
      },
    ]),
  );
  return {
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
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
    // No operation asks for credentials yet: the empty list says so explicitly.
    security: [],
    tags: [
      { name: 'schedules', description: 'Plan, read, re-plan and delete schedules' },
      { name: 'pools', description: 'Shared pools of assistants across ordninger' },
      { name: 'service', description: 'Health, readiness and this document' },
    ],
    paths,
    components: { schemas: components },
  };
}
