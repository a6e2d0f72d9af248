import type { Hono } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { z } from 'zod';
import { problem } from '../errors.ts';
import { ScheduleIdSchema } from '../ids.ts';
import type { ScheduleRecord, ScheduleStore } from '../ports.ts';
import { ScheduleStatusSchema } from './schemas.ts';
import { asTenant, tenant } from '../tenancy/context.ts';

/** How often an open stream reads the schedule: the same poll in both modes and across processes. */
const POLL_MS = 250;

/** The events' data, as documented (src/http/openapi.ts). */
export const StatusEventSchema = z.object({ status: ScheduleStatusSchema, version: z.number().int().min(0), error: z.object({ code: z.string() }).optional() }).meta({ id: 'StatusEvent' });
/** The last event: the terminal status, or `deleted` when the schedule was deleted while followed. */
export const DoneEventSchema = StatusEventSchema.extend({ status: z.enum(['completed', 'failed', 'deleted']) }).meta({ id: 'DoneEvent' });
export const ProgressEventSchema = z.object({ fraction: z.number().min(0).max(1), phase: z.string() }).meta({ id: 'ProgressEvent' });

export const exampleEvents = 'event: status\ndata: {"status":"solving","version":0}\n\nevent: progress\ndata: {"fraction":0.4,"phase":"coverage"}\n\n: heartbeat\n\nevent: status\ndata: {"status":"completed","version":1}\n\nevent: done\ndata: {"status":"completed","version":1}\n\n';

const terminal = (r: ScheduleRecord) => r.status === 'completed' || r.status === 'failed';
const statusOf = (r: ScheduleRecord): z.infer<typeof StatusEventSchema> => ({ status: r.status, version: r.version, ...(r.error ? { error: { code: r.error.code } } : {}) });

export interface EventDeps {
  /** The tenant-scoped store: another tenant's schedule is absent here, so its stream answers 404. */
  store: ScheduleStore;
  heartbeatMs: number;
  /** Aborted when the service stops: open streams end at once instead of holding the shutdown. */
  closing?: AbortSignal;
}

/**
 * `GET /schedules/{id}/events`: a server-sent event stream of the schedule's `status` and
 * `progress`, each sent when it changes, ending with `done` once the schedule is completed or
 * failed. Heartbeat comments keep proxies from closing a quiet stream.
 */
export function eventRoutes(app: Hono, deps: EventDeps) {
  app.get('/schedules/:id/events', async (c) => {
    const id = ScheduleIdSchema.safeParse(c.req.param('id'));
    const first = id.success ? await deps.store.get(id.data) : null;
    if (!first) return problem(c, 404, 'not_found', 'no such schedule');
    c.header('Cache-Control', 'no-store');
    c.header('X-Accel-Buffering', 'no'); // nginx: pass each event on at once
    // The stream outlives the request's handler: its reads name the caller's tenant themselves.
    const who = tenant();
    const read = () => asTenant(who, () => deps.store.get(first.id));
    return streamSSE(c, (stream) => follow(stream, first, read, deps));
  });
}

async function follow(stream: SSEStreamingApi, first: ScheduleRecord, read: () => Promise<ScheduleRecord | null>, deps: EventDeps) {
  let record: ScheduleRecord | null = first;
  let last = first;
  let sentStatus = '';
  let sentProgress = '';
  let beat = Date.now();
  while (record) {
    last = record;
    const status = JSON.stringify(statusOf(record));
    if (status !== sentStatus) await stream.writeSSE({ event: 'status', data: (sentStatus = status) });
    const progress = record.progress && record.status === 'solving' ? JSON.stringify(ProgressEventSchema.parse(record.progress)) : '';
    if (progress && progress !== sentProgress) await stream.writeSSE({ event: 'progress', data: (sentProgress = progress) });
    if (terminal(record)) {
      await stream.writeSSE({ event: 'done', data: status });
      return;
    }
    if (stream.aborted || stream.closed || deps.closing?.aborted) return;
    await stream.sleep(POLL_MS);
    if (Date.now() - beat >= deps.heartbeatMs) {
      await stream.write(': heartbeat\n\n');
      beat = Date.now();
    }
    // A failed read (Redis away a moment) is tried again at the next poll.
    record = await read().catch(() => record);
  }
  await stream.writeSSE({ event: 'done', data: JSON.stringify({ status: 'deleted', version: last.version }) });
}
