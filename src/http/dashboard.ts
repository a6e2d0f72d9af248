import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Queue } from 'bullmq';
import type { Context, Hono } from 'hono';
import { problem } from '../errors.ts';
import { adminOnly } from './auth.ts';

const BASE = '/admin/queues';

/**
 * Bull Board at /admin/queues, Redis mode only, behind the admin key: it shows job data (schedule
 * ids, notice URLs) of every tenant and can retry or remove jobs. Embedded mode has no BullMQ
 * queues to show, and says so.
 */
export function dashboardRoutes(app: Hono, { queues, adminKey }: { queues: Queue[]; adminKey?: string }) {
  if (queues.length === 0) {
    const absent = (c: Context) => problem(c, 404, 'not_found', 'the queue dashboard runs in Redis mode only (set REDIS_URL)');
    app.get(BASE, absent);
    app.all(`${BASE}/*`, absent);
    return;
  }
  const board = new HonoAdapter(serveStatic);
  board.setBasePath(BASE);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: board });
  app.use(BASE, adminOnly(adminKey));
  app.use(`${BASE}/*`, adminOnly(adminKey));
  app.route(BASE, board.registerPlugin());
}
