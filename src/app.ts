import { createHash, randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { z } from 'zod';
import { PoolAssistantSchema, ScheduleRequestSchema, SickLeaveRequestSchema, type Assistant, type ScheduleRequest } from '../solver/request.ts';
import { bookingsBrokenBy, sickInterval, type BookedIn } from '../solver/index.ts';
import type { ExternalBooking } from '../solver/result.ts';
import { period } from '../solver/normalise.ts';
import { Unavailable, type AccessStore, type CreateOutcome, type JobQueue, type OrdningStore, type PoolStore, type ScheduleStore } from './ports.ts';
import type { Logger } from './logger.ts';
import { problem, zodDetails } from './errors.ts';
import { validBody } from './http/body.ts';
import { BodyIdSchema, ScheduleIdSchema, VersionSchema } from './ids.ts';
import { admission, type AdmissionLimits } from './planner/admission.ts';
import { ordningRoutes, vedtakForPeriod, withBank } from './http/ordninger.ts';
import { viewRoutes } from './http/views.ts';
import { docsRoutes } from './http/docs.ts';
import { unmatched } from './http/method-not-allowed.ts';
import { scheduleListRoutes } from './http/schedule-list.ts';
import { scheduleSummary } from './http/schemas.ts';
import { tenant } from './tenancy/context.ts';
import { adminRoutes } from './http/admin.ts';
import { tenantAccess } from './http/auth.ts';
import { MemoryAccessStore } from './access/memory.ts';
import type { Queue } from 'bullmq';
import { Metrics } from './metrics.ts';
import type { Notifier } from './notices/notifier.ts';
import { eventRoutes } from './http/events.ts';
import { healthRoute } from './http/health.ts';
import { metricsRoutes, requestTimer } from './http/metrics.ts';
import { dashboardRoutes } from './http/dashboard.ts';
import { scopedOrdninger, scopedPool, scopedQueue, scopedSchedules } from './tenancy/scoped.ts';

export interface AppDeps {
  store: ScheduleStore;
  pool: PoolStore;
  /** Ordninger with an hour bank (src/http/ordninger.ts); without it those routes are absent. */
  ordninger?: OrdningStore;
  queue: JobQueue;
  log: Logger;
  bodyLimitBytes: number;
  /** True for an error meaning the store or queue cannot be reached just now: 503, not 500. */
  isOutage?: (err: unknown) => boolean;
  /** What one solve may hold: larger requests answer 422 before anything is stored. */
  limits?: AdmissionLimits;
  /** Signs the views' reading links (LINK_SECRET); unset: the store's own secret. */
  linkSecret?: string;
  /** Origins a browser may call from (CORS); none when empty. */
  corsOrigins?: string[];
  /** API keys (src/http/auth.ts); without `adminKey` there are none and everything is tenant `local`. */
  access?: { adminKey?: string; store: AccessStore; ratePerMinute: number; linkRatePerMinute?: number };
  /** Checks a request's callbackUrl (src/notices/); without it, or with webhooks off, a callbackUrl answers 400. */
  notifier?: Notifier;
  /** /metrics and the HTTP timings; without it, figures of this app's requests and queue only. */
  metrics?: Metrics;
  /** The BullMQ queues Bull Board shows at /admin/queues (Redis mode); none: the route answers 404. */
  dashboard?: Queue[];
  /** How often an open event stream sends a heartbeat, and a signal that ends every stream (shutdown). */
  events?: { heartbeatMs: number; closing?: AbortSignal };
}

/**
 * A member's bookings their record would break (a spell given as unavailable, a skill taken away),
 * each read against the schedule that booked it. A booking whose schedule is gone goes with it.
 */
async function bookingsBroken(pool: PoolStore, store: ScheduleStore, poolId: string, member: Assistant) {
  const booked = (await pool.bookings(poolId)).filter((b) => b.assistantId === member.id);
  const inputs = new Map(await Promise.all([...new Set(booked.map((b) => b.scheduleId))].map(async (id) => [id, await store.getInput(id)] as const)));
  const bookedIn = (b: ExternalBooking): BookedIn => {
    const input = inputs.get(b.scheduleId)!;
    const needId = b.shiftId.split('@')[0];
    return { zone: input.ordning.timezone, skills: input.needs.find((n) => n.id === needId)?.skills ?? [] };
  };
  return bookingsBrokenBy(member, booked.filter((b) => inputs.get(b.scheduleId)), bookedIn);
}

/** The callbackUrl of a POST /schedules body, taken off before the request is validated (the solver has no such field). */
function takeCallback(body: unknown): { rest: unknown; callbackUrl: unknown } {
  if (!body || typeof body !== 'object' || Array.isArray(body) || !('callbackUrl' in body)) return { rest: body, callbackUrl: undefined };
  const { callbackUrl, ...rest } = body as Record<string, unknown>;
  return { rest, callbackUrl };
}

/** Key order does not change a body's meaning, so it does not change its hash either. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(value);
}

/** The schedule id of the path, or null when it is not one this service could have handed out. */
const scheduleId = (c: Context) => {
  const parsed = ScheduleIdSchema.safeParse(c.req.param('id'));
  return parsed.success ? parsed.data : null;
};

/**
 * Stores a schedule and queues its first plan. A schedule stored by an earlier attempt whose
 * queueing failed (that client got 503) is queued now, when the same key and body come again;
 * the job id makes that a no-op when its job exists.
 */
async function admit(store: ScheduleStore, queue: JobQueue, input: ScheduleRequest, idempotency?: { key: string; bodyHash: string }): Promise<CreateOutcome> {
  const created = await store.create(input, idempotency);
  if (created.kind === 'conflict') return created;
  const unqueued = created.kind === 'existing' && created.record.status === 'queued' && created.record.version === 0;
  if (created.kind === 'created' || unqueued) {
    try {
      await queue.enqueue({ scheduleId: created.record.id, kind: 'plan' });
    } catch (err) {
      // This client gets 503 and no id: leave nothing that could run for it later. Best effort,
      // and never a delay to the answer.
      if (created.kind === 'created') void store.undoCreate(created.record.id, idempotency?.key, input.ordning.id).catch(() => {});
      throw err;
    }
  }
  return created;
}

/** Routes translate HTTP into calls on the store and the queue; nothing else happens here. */
export function createApp({ store: allSchedules, pool: allPools, ordninger: allOrdninger, queue: anyQueue, log, bodyLimitBytes, isOutage = () => false, limits = { maxChoices: 12_000 }, linkSecret, corsOrigins = [], access = { store: new MemoryAccessStore(), ratePerMinute: 600 }, notifier, metrics, dashboard = [], events = { heartbeatMs: 15_000 } }: AppDeps) {
  const app = new Hono();
  // The one place the stores are scoped: every route below sees only its caller's tenant (src/tenancy/).
  const store = scopedSchedules(allSchedules);
  const pool = scopedPool(allPools);
  const ordninger = allOrdninger && scopedOrdninger(allOrdninger);
  const queue = scopedQueue(anyQueue);
  metrics ??= new Metrics(anyQueue);

  app.use(async (c, next) => {
    const id = c.req.header('x-request-id')?.slice(0, 100) ?? randomUUID();
    const started = performance.now();
    c.header('x-request-id', id);
    await next();
    log.info({ requestId: id, method: c.req.method, path: c.req.routePath, status: c.res.status, ms: Math.round(performance.now() - started) }, 'request');
  });
  app.use(requestTimer(metrics));
  if (corsOrigins.length > 0)
    app.use(cors({ origin: corsOrigins, allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'], exposeHeaders: ['Location', 'X-Request-Id'], maxAge: 600 }));
  app.onError((err, c) => {
    if (err instanceof Unavailable || isOutage(err)) {
      log.warn({ path: c.req.routePath, err: err.message }, 'store or queue unreachable');
      return problem(c, 503, 'unavailable', 'the queue or store does not answer; try again shortly');
    }
    // Where, not what: a message may quote input (names); the stack's frames locate the fault.
    log.error({ path: c.req.routePath, err: err.name, at: err.stack?.split('\n').slice(1, 6).map((l) => l.trim()) }, 'unhandled error');
    return problem(c, 500, 'internal', 'something went wrong on our side');
  });
  app.notFound(unmatched(app));
  app.use(tenantAccess({ adminKey: access.adminKey, access: access.store, schedules: allSchedules, ratePerMinute: access.ratePerMinute, linkRatePerMinute: access.linkRatePerMinute ?? 120 }));
  adminRoutes(app, { adminKey: access.adminKey, access: access.store, log });
  dashboardRoutes(app, { queues: dashboard, adminKey: access.adminKey });
  metricsRoutes(app, { metrics, adminKey: access.adminKey });

  healthRoute(app);
  app.get('/readyz', async (c) => {
    try {
      await Promise.all([store.ping(), queue.ping()]);
      return c.json({ status: 'ready' });
    } catch {
      return problem(c, 503, 'not_ready', 'queue or store does not answer');
    }
  });
  docsRoutes(app, '0.1.0');
  scheduleListRoutes(app, store);
  if (ordninger) ordningRoutes(app, { ordninger, store, log, bodyLimitBytes });

  const limit = bodyLimit({ maxSize: bodyLimitBytes, onError: (c) => problem(c, 413, 'payload_too_large', `the body is over ${bodyLimitBytes} bytes`) });

  app.post('/schedules', limit, async (c) => {
    let callbackUrl: unknown;
    const request = await validBody(c, ScheduleRequestSchema, 'schedule request', async (body) => {
      const taken = takeCallback(body);
      callbackUrl = taken.callbackUrl;
      return ordninger ? vedtakForPeriod(ordninger, taken.rest) : taken.rest;
    });
    if ('error' in request) return request.error;
    if (callbackUrl !== undefined) {
      const refused = typeof callbackUrl !== 'string' ? 'expected a URL' : !notifier ? 'webhooks are off on this service' : await notifier.checkCallback(callbackUrl);
      if (refused) return problem(c, 400, 'invalid_request', 'the callbackUrl cannot be used', [{ path: 'callbackUrl', message: refused }]);
    }
    const admitted = admission(request.data, limits, request.data.pool ? await pool.members(request.data.pool.id) : []);
    if (!admitted.ok) return problem(c, 422, 'too_large', admitted.message, admitted.details);
    const key = c.req.header('idempotency-key');
    if (key !== undefined && !/^[\w.:-]{1,200}$/.test(key)) return problem(c, 400, 'invalid_request', 'bad Idempotency-Key', [{ path: 'Idempotency-Key', message: 'use 1-200 letters, digits, . _ : -' }]);
    const bodyHash = createHash('sha256').update(canonical(request.raw)).digest('hex');
    // The callbackUrl is stored with the request, for whichever process runs its job (src/notices/notifier.ts).
    const input = callbackUrl === undefined ? request.data : { ...request.data, callbackUrl: callbackUrl as string };
    const banked = ordninger ? await withBank({ ordninger, store }, input) : { request: input, link: async () => {} };
    const created = await admit(store, queue, banked.request, key ? { key, bodyHash } : undefined);
    if (created.kind === 'created') await banked.link(created.record.id);
    if (created.kind === 'conflict') return problem(c, 409, 'idempotency_conflict', 'this Idempotency-Key was used with another body');
    c.header('Location', `/schedules/${created.record.id}`);
    return c.json({ id: created.record.id, status: created.record.status }, 202);
  });

  app.get('/schedules/:id', async (c) => {
    const id = scheduleId(c);
    const record = id && (await store.get(id));
    if (!record) return problem(c, 404, 'not_found', 'no such schedule');
    const result = record.version > 0 ? await store.getVersion(record.id, record.version) : null;
    return c.json({ ...scheduleSummary(record), ...(result ? { result } : {}) });
  });

  app.get('/schedules/:id/versions/:n', async (c) => {
    const id = scheduleId(c);
    if (!id) return problem(c, 404, 'not_found', 'no such schedule version');
    const n = VersionSchema.safeParse(c.req.param('n'));
    if (!n.success) return problem(c, 400, 'invalid_request', 'version must be a whole number from 1', [{ path: 'n', message: 'expected an integer >= 1' }]);
    const result = await store.getVersion(id, n.data);
    return result ? c.json(result) : problem(c, 404, 'not_found', 'no such schedule version');
  });

  app.delete('/schedules/:id', async (c) => {
    const id = scheduleId(c);
    const input = id && (await store.getInput(id));
    if (!id || !(await store.delete(id))) return problem(c, 404, 'not_found', 'no such schedule');
    // After the delete: a solve that books later finds the schedule gone and releases its own.
    if (input && input.pool) await pool.release(input.pool.id, id);
    return c.body(null, 204);
  });

  // The running job sees the request within a poll (src/jobs.ts watchCancel) and saves its best plan.
  app.post('/schedules/:id/cancel', async (c) => {
    const id = scheduleId(c);
    const record = id && (await store.get(id));
    if (!record) return problem(c, 404, 'not_found', 'no such schedule');
    if (record.status !== 'queued' && record.status !== 'solving') return problem(c, 409, 'not_running', `the schedule is ${record.status}: there is nothing to cancel`);
    const cancelRequestedAt = record.cancelRequestedAt ?? new Date().toISOString();
    await store.update(record.id, { cancelRequestedAt });
    c.header('Location', `/schedules/${record.id}`);
    return c.json(scheduleSummary({ ...record, cancelRequestedAt }), 202);
  });

  app.post('/schedules/:id/sick-leave', limit, async (c) => {
    const id = scheduleId(c);
    if (!id) return problem(c, 404, 'not_found', 'no such schedule');
    const sick = await validBody(c, SickLeaveRequestSchema, 'sick-leave report');
    if ('error' in sick) return sick.error;
    const [record, input] = await Promise.all([store.get(id), store.getInput(id)]);
    if (!record || !input) return problem(c, 404, 'not_found', 'no such schedule');
    // Reports may come while a re-plan runs: each is in the next version saved (src/jobs.ts).
    if (record.version === 0) return problem(c, 409, 'schedule_not_ready', `the schedule is ${record.status} and has no plan yet; report sick leave once its first plan is completed`);
    // A pool member may be reported too: the re-plan frees their shifts here, as a team member's.
    const { assistantId } = sick.data;
    const inPool = async () => !!input.pool && (await pool.members(input.pool.id)).some((m) => m.id === assistantId);
    if (!input.assistants.some((a) => a.id === assistantId) && !(await inPool()))
      return problem(c, 400, 'invalid_request', 'unknown assistant', [{ path: 'assistantId', message: `"${assistantId}" is not an assistant of this ordning or a member of its pool` }]);
    const { from, to } = sickInterval(input, sick.data);
    const span = period(input);
    if (to <= span.start || from >= span.end) return problem(c, 400, 'invalid_request', 'the sick leave lies outside the plan', [{ path: 'from', message: `the plan runs ${span.days[0]} to ${span.days.at(-1)}` }]);
    const added = await store.addSickLeave(id, sick.data);
    await store.update(id, { status: 'queued', error: undefined, cancelRequestedAt: undefined });
    await queue.enqueue({ scheduleId: id, kind: 'sick-leave', sickLeave: added.count });
    c.header('Location', `/schedules/${id}`);
    // The version that will include this report: saves check the report count (ports.ts).
    return c.json({ id, status: 'queued', version: added.version + 1 }, 202);
  });

  app.put('/pools/:poolId/assistants/:assistantId', limit, async (c) => {
    const params = z.object({ poolId: BodyIdSchema, assistantId: BodyIdSchema }).safeParse(c.req.param());
    if (!params.success) return problem(c, 400, 'invalid_request', 'bad pool or assistant id', zodDetails(params.error));
    const member = await validBody(c, PoolAssistantSchema, 'pool assistant');
    if ('error' in member) return member.error;
    if (member.data.id !== undefined && member.data.id !== params.data.assistantId)
      return problem(c, 400, 'invalid_request', 'the body\'s id differs from the path\'s', [{ path: 'id', message: `expected "${params.data.assistantId}" (the path's assistant id) or no id` }]);
    const { id: _, ...fields } = member.data;
    const saved = { id: params.data.assistantId, ...fields };
    const most = limits.maxPoolMembers;
    // Under the pool's lock, as bookings are made: no booking lands inside a spell set meanwhile.
    const outcome = await pool.exclusive(params.data.poolId, async () => {
      const broken = await bookingsBroken(pool, store, params.data.poolId, saved);
      return broken.length ? broken : pool.putMember(params.data.poolId, saved, most);
    });
    if (Array.isArray(outcome))
      return problem(c, 409, 'member_booked', `the assistant is booked for ${outcome.length} shift(s) this record would rule out; report them sick for those shifts on their schedules (POST /schedules/{id}/sick-leave), so that each plan re-plans, then try again`,
        outcome.map(({ path, detail, booking }) => ({ path, message: `booked for ${booking.shiftId} in schedule ${booking.scheduleId}${detail}` })));
    if (outcome === 'full') return problem(c, 409, 'pool_full', `the pool has ${most} members, the most a pool may have (POOL_MAX_MEMBERS): a first plan puts every member beside its team`, [{ path: 'poolId', message: `pool "${params.data.poolId}" is full` }]);
    if (outcome === 'no-room') return problem(c, 409, 'store_full', 'this service holds its most pools in memory (MAX_POOLS_IN_MEMORY); start it with REDIS_URL to keep more', [{ path: 'poolId', message: 'no room for a new pool' }]);
    return c.json(saved, outcome === 'created' ? 201 : 200);
  });

  // Only a member no plan has booked: the plans that booked one re-plan with them as a pool member.
  app.delete('/pools/:poolId/assistants/:assistantId', async (c) => {
    const params = z.object({ poolId: BodyIdSchema, assistantId: BodyIdSchema }).safeParse(c.req.param());
    if (!params.success) return problem(c, 400, 'invalid_request', 'bad pool or assistant id', zodDetails(params.error));
    const { poolId, assistantId } = params.data;
    const outcome = await pool.exclusive(poolId, async () => {
      const booked = new Set((await pool.bookings(poolId)).filter((b) => b.assistantId === assistantId).map((b) => b.scheduleId));
      if (booked.size > 0) return booked.size;
      return (await pool.removeMember(poolId, assistantId)) ? 'removed' : 'none';
    });
    if (outcome === 'none') return problem(c, 404, 'not_found', 'no such pool assistant');
    if (typeof outcome === 'number') return problem(c, 409, 'member_booked', `the assistant is booked in ${outcome} schedule(s) of this pool; delete those schedules first, or wait until they expire`, [{ path: 'assistantId', message: 'booked' }]);
    return c.body(null, 204);
  });

  // With API keys each tenant's callbacks are signed with a key of its own; without, WEBHOOK_SECRET signs all.
  app.get('/webhooks/secret', (c) => {
    if (!notifier?.enabled) return problem(c, 404, 'not_found', 'webhooks are off on this service');
    const secret = notifier.secretOf(tenant());
    return secret ? c.json({ secret }) : problem(c, 404, 'not_found', 'without API keys every notice is signed with the service\'s WEBHOOK_SECRET');
  });

  app.get('/pools/:poolId', async (c) => {
    const parsed = BodyIdSchema.safeParse(c.req.param('poolId'));
    if (!parsed.success) return problem(c, 400, 'invalid_request', 'bad pool id', zodDetails(parsed.error).map((d) => ({ ...d, path: 'poolId' })));
    const poolId = parsed.data;
    const [members, bookings] = await Promise.all([pool.members(poolId), pool.bookings(poolId)]);
    if (members.length === 0) return problem(c, 404, 'not_found', 'no such pool');
    return c.json({ id: poolId, members: members.map((m) => ({ ...m, bookings: bookings.filter((b) => b.assistantId === m.id) })) });
  });

  eventRoutes(app, { store, heartbeatMs: events.heartbeatMs, closing: events.closing });
  viewRoutes(app, { store, pool, linkSecret });

  return app;
}
